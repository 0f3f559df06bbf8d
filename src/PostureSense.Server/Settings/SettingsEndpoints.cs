using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureSense.Server.Accounts;
using static PostureSense.Server.Api.ApiEndpoints;

namespace PostureSense.Server.Settings;

/// <summary>
/// <c>GET /api/settings</c> and <c>PUT /api/settings</c>: the signed-in wearer's settings,
/// <c>{"coaching": {config fields}, "alerts": {...}}</c>. A bad body is a 400 with every reason.
/// </summary>
public static class SettingsEndpoints
{
    const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app, PostureServices services)
    {
        var api = app.MapGroup("/api/settings").RequireAuthorization();

        api.MapGet("", (HttpContext http) =>
            Results.Json(services.Settings.For(http.User.WearerId()!.Value), WearerSettings.Json));

        api.MapPut("", async (HttpContext http, CancellationToken ct) =>
        {
            if (!http.Request.HasJsonContentType())
                return Error(StatusCodes.Status415UnsupportedMediaType, "send the settings as application/json");
            if (http.Request.ContentLength > MaxBodyBytes)
                return Error(StatusCodes.Status413PayloadTooLarge, $"settings are at most {MaxBodyBytes} bytes");
            string body;
            using (var reader = new StreamReader(http.Request.Body))
            {
                var buffer = new char[MaxBodyBytes + 1];
                var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
                if (read > MaxBodyBytes) return Error(StatusCodes.Status413PayloadTooLarge, $"settings are at most {MaxBodyBytes} bytes");
                body = new string(buffer, 0, read);
            }
            if (WearerSettings.Parse(body, out var error) is not { } proposed) return Invalid("the settings cannot be read", [error!]);
            var result = await services.Settings.SaveAsync(http.User.WearerId()!.Value, proposed, ct);
            return result.Saved is null
                ? Invalid("the settings were not saved", result.Problems)
                : Results.Json(result.Saved, WearerSettings.Json);
        });

        return app;
    }
}
