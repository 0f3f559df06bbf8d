using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace PostureSense.Server.Ui;

/// <summary>
/// The wearer's dashboard: Blazor pages rendered interactively on the server, Radzen components,
/// and the static files they need (the framework's script, Radzen's themes, the web app manifest,
/// the service worker and the alerts script).
/// </summary>
static class DashboardUi
{
    static string AppName => typeof(DashboardUi).Assembly.GetName().Name!;

    public static void AddServices(WebApplicationBuilder builder)
    {
        // Outside a publish the files stay where they are (this project's wwwroot, the packages);
        // the runtime manifest beside the assembly says where. A publish copies them to wwwroot.
        if (File.Exists(RuntimeManifest)) builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, RuntimeManifest).UseStaticWebAssets();
        // The page hands what it rendered first to its interactive self over the circuit (a whole
        // day's timeline is ~150 KB), so the day is read from the store once; SignalR's default
        // 32 KB limit would drop that connection.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 1024 * 1024);
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAntiforgery();
        builder.Services.AddRadzenComponents();
    }

    public static void UseAssets(WebApplication web)
    {
        // The endpoints manifest lists every asset with its compressed variants and cache headers.
        if (!File.Exists(EndpointsManifest)) web.UseStaticFiles();
    }

    public static void MapPages(WebApplication web)
    {
        if (File.Exists(EndpointsManifest)) web.MapStaticAssets(EndpointsManifest);
        web.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();
    }

    static string RuntimeManifest => Path.Combine(AppContext.BaseDirectory, AppName + ".staticwebassets.runtime.json");
    static string EndpointsManifest => Path.Combine(AppContext.BaseDirectory, AppName + ".staticwebassets.endpoints.json");
}
