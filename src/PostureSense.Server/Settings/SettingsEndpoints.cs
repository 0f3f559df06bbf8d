using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Accounts;
using PostureSense.Server.Api;
using static PostureSense.Server.Api.ApiEndpoints;

namespace PostureSense.Server.Settings;

/// <summary>
/// <c>GET /api/settings</c> and <c>PUT /api/settings</c>: the signed-in wearer's settings,
/// <c>{"coaching": {config fields}, "alerts": {...}}</c>. A bad body is a 400 with every reason.
/// </summary>
public static class SettingsEndpoints
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app, PostureServices services)
    {
        var api = app.MapGroup("/api/settings").RequireAuthorization();

        api.MapGet("", (HttpContext http) =>
            Results.Json(services.Settings.For(http.User.WearerId()!.Value), WearerSettings.Json));

        api.MapPut("", async (HttpContext http, CancellationToken ct) =>
        {
            var (body, bad) = await JsonBody.ReadTextAsync(http, ct);
            if (bad is not null) return bad;
            if (WearerSettings.Parse(body!, out var error) is not { } proposed) return Invalid("the settings cannot be read", [error!]);
            var result = await services.Settings.SaveAsync(http.User.WearerId()!.Value, proposed, ct);
            return result.Saved is null
                ? Invalid("the settings were not saved", result.Problems)
                : Results.Json(result.Saved, WearerSettings.Json);
        });

        return app;
    }
}
