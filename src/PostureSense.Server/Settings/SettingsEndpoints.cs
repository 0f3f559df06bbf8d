using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PostureSense.Accounts.Settings;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Http;
using static PostureSense.Server.Http.Answers;

namespace PostureSense.Server.Settings;

/// <summary>
/// <c>GET /api/settings</c> and <c>PUT /api/settings</c>: the signed-in wearer's settings,
/// <c>{"coaching": {config fields}, "alerts": {...}}</c>. A bad body is a 400 with every reason.
/// </summary>
public static class SettingsEndpoints
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/settings").RequireAuthorization();
        api.MapGet("", GetSettings);
        api.MapPut("", SaveSettingsAsync);
        return app;
    }

    /// <summary>In the settings' own JSON (its durations and times are written as people read them).</summary>
    public static JsonHttpResult<WearerSettings> GetSettings(HttpContext http, SettingsService settings) =>
        TypedResults.Json(settings.For(http.User.WearerId()!.Value), WearerSettings.Json);

    public static async Task<Results<JsonHttpResult<WearerSettings>, BadRequest<ProblemsView>, JsonHttpResult<ErrorView>>> SaveSettingsAsync(
        HttpContext http, SettingsService settings, CancellationToken ct)
    {
        var (body, bad) = await JsonBody.ReadTextAsync(http, ct);
        if (bad is not null) return bad;
        if (WearerSettings.Parse(body!, out var error) is not { } proposed) return Invalid("the settings cannot be read", [error!]);
        var result = await settings.SaveAsync(http.User.WearerId()!.Value, proposed, ct);
        return result.Saved is null
            ? Invalid("the settings were not saved", result.Problems)
            : TypedResults.Json(result.Saved, WearerSettings.Json);
    }
}
