using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Alerts;
using PostureSense.Server.Api;
using PostureSense.Server.Configuration;
using PostureSense.Server.SignIn;
using PostureSense.Server.Health;
using PostureSense.Server.Http;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;
using PostureSense.Server.Ui;

namespace PostureSense.Server;

/// <summary>
/// The web part: Kestrel on the wearers' address and on the management address, cookie sign-in,
/// the JSON API, the dashboard, and health and metrics.
/// </summary>
static class PostureWeb
{
    /// <param name="ownsProcess">
    /// True when the server is the program (Ctrl+C and SIGTERM stop it through the host); false when
    /// it is embedded (the demo, a test), whose owner decides when to stop.
    /// </param>
    public static WebApplicationBuilder CreateBuilder(ServerOptions options, ILoggerFactory loggers, bool ownsProcess, Listeners listeners)
    {
        // The empty builder reads no appsettings or ASPNETCORE_ variables: the server's options
        // come only from ServerOptions, so what the tests and the demo pass is what runs.
        // The application name is this assembly's, not the host's (the demo, a test runner): it
        // names the static web assets manifests, and the UI's assets are this project's.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PostureWeb).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseSetting(WebHostDefaults.PreventHostingStartupKey, "true");
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(options.Http.Address, options.Http.Port, listen => listeners.Public = listen);
            k.Listen(options.Management.Address, options.Management.Port, listen =>
            {
                listeners.Management = listen;
                ManagementEndpoints.MarkConnections(listen);
            });
        });
        builder.Services.AddRoutingCore();
        builder.Services.ConfigureHttpJsonOptions(json => Answers.Configure(json.SerializerOptions));
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        if (ownsProcess)
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        else
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie => WearerCookie.Configure(cookie, options));
        ProxyHeaders.Configure(builder.Services, options);
        builder.Services.AddAuthorization();
        builder.Services.AddSignInLimits();
        DashboardUi.AddServices(builder);
        return builder;
    }

    public static WebApplication MapRoutes(WebApplication web)
    {
        var options = web.Services.GetRequiredService<ServerOptions>();
        ProxyHeaders.Use(web, options);
        DashboardUi.UseAssets(web);
        web.UseRouting();
        web.UseManagementSplit();
        web.UseCrossSiteRefusal(options);
        web.UseAuthentication();
        web.UseAuthorization();
        web.UseAntiforgery();
        web.UseRateLimiter();
        web.MapManagementApi();
        web.MapAccountApi();
        web.MapPostureApi();
        web.MapSettingsApi();
        web.MapAlertApi();
        web.MapSignInForms();
        DashboardUi.MapPages(web);
        return web;
    }

    /// <summary>The two listeners, whose bound ports Kestrel fills in when it starts (also when 0 was asked).</summary>
    public sealed class Listeners
    {
        public ListenOptions? Public { get; set; }
        public ListenOptions? Management { get; set; }

        public static Uri UrlOf(ListenOptions? listen) =>
            listen?.IPEndPoint is { } bound
                ? new Uri(new HttpEndpoint(bound.Address, bound.Port).ToString())
                : throw new InvalidOperationException("the HTTP server is not listening");
    }

    sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
