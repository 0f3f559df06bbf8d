using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PostureSense.Server.Accounts;
using PostureSense.Server.Alerts;
using PostureSense.Server.Api;
using PostureSense.Server.Configuration;
using PostureSense.Server.Dashboard;
using PostureSense.Server.Settings;
using PostureSense.Server.Ui;

namespace PostureSense.Server;

/// <summary>
/// The web part: Kestrel on the configured address, cookie sign-in, the JSON API and the
/// dashboard, and the server's services in dependency injection for an in-process UI.
/// </summary>
static class PostureWeb
{
    public static WebApplication Build(HttpEndpoint http, ILoggerFactory loggers, PostureServices services, IDataProtectionProvider protection,
        AlertLinkSigner signer)
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
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(http.Address, http.Port));
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggers);
        // The host's console lifetime would take Ctrl+C and SIGTERM for itself and stop only the
        // web part; the process that owns this server (Program, the demo, a test) decides when to stop.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        // Registered before authentication, which would otherwise add a provider with keys of its own.
        builder.Services.AddSingleton(protection);
        AddServices(builder.Services, services);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(WearerCookie.Configure);
        builder.Services.AddAuthorization();
        builder.Services.AddSignInLimits();
        DashboardUi.AddServices(builder);
        var web = builder.Build();
        DashboardUi.UseAssets(web);
        web.UseRouting();
        web.UseAuthentication();
        web.UseAuthorization();
        web.UseAntiforgery();
        web.UseRateLimiter();
        web.MapAccountApi(services);
        web.MapPostureApi(services);
        web.MapSettingsApi(services);
        web.MapAlertApi(services, signer);
        web.MapDashboard(services);
        DashboardUi.MapPages(web);
        return web;
    }

    /// <summary>Each service on its own, for an in-process UI to inject.</summary>
    static void AddServices(IServiceCollection di, PostureServices services)
    {
        di.AddSingleton(services);
        di.AddSingleton(services.Options);
        di.AddSingleton(services.Store);
        di.AddSingleton(services.Stats);
        di.AddSingleton(services.Accounts);
        di.AddSingleton(services.Settings);
        di.AddSingleton(services.Days);
        di.AddSingleton(services.Summaries);
        di.AddSingleton(services.Live);
        di.AddSingleton(services.Alerts);
        di.AddSingleton(services.Answers);
        di.AddSingleton(services.Commands);
    }

    public static Uri BoundUrl(WebApplication web)
    {
        var addresses = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the HTTP server reports no address");
        return new Uri(first);
    }

    sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

}
