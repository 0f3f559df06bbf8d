using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Server.Accounts;
using PostureSense.Server.Coaching;
using PostureSense.Server.History;
using PostureSense.Storage.History;

namespace PostureSense.Server.Api;

/// <summary>
/// The JSON API: the signed-in wearer's devices, a device's day, its trends and live state, and
/// the ingestion counters. Without a session every route answers 401; a device that is not the
/// wearer's is 404, exactly like one that does not exist.
/// </summary>
public static class ApiEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Served as application/json, never inlined into HTML: readable quotes and accents are safe here.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Trend lengths a wearer can ask for.</summary>
    public const int MaxHistoryDays = 90;

    public static IEndpointRouteBuilder MapPostureApi(this IEndpointRouteBuilder app, PostureServices services)
    {
        var (store, days, clock) = (services.Store, services.Days, services.Clock);
        var api = app.MapGroup("/api").RequireAuthorization();

        api.MapGet("/devices", async (HttpContext http, CancellationToken ct) => Results.Json(
            await DeviceView.ForAsync(store, services.Accounts.DevicesOf(http.User.WearerId()!.Value), clock.GetUtcNow(), ct), Json));

        api.MapGet("/devices/{id}/days/{day}", (HttpContext http, string id, string day, CancellationToken ct) =>
            OwnedAsync(http, id, async () => LocalDay.TryParse(day, out var date)
                ? Results.Json(DayView.From(await days.BuildAsync(id, date, ct)), Json)
                : Error(StatusCodes.Status400BadRequest, $"'{day}' is not a date; use yyyy-MM-dd")));

        api.MapGet("/devices/{id}/today", (HttpContext http, string id, CancellationToken ct) =>
            OwnedAsync(http, id, async () => Results.Json(DayView.From(await days.BuildAsync(id, days.Today, ct)), Json)));

        api.MapGet("/devices/{id}/history", (HttpContext http, string id, string? days, CancellationToken ct) =>
            OwnedAsync(http, id, async () =>
            {
                var count = 7;
                if (days is not null && (!int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
                                         || count is < 1 or > MaxHistoryDays))
                    return Error(StatusCodes.Status400BadRequest, $"days '{days}' must be a whole number from 1 to {MaxHistoryDays}");
                var summaries = await services.Summaries.LastDaysAsync(id, count, ct);
                return Results.Json(new HistoryView(id, count, [.. summaries.Select(TrendPoint.From)]), Json);
            }));

        api.MapGet("/devices/{id}/now", (HttpContext http, string id, CancellationToken ct) =>
            OwnedAsync(http, id, async () =>
            {
                var view = (await DeviceView.ForAsync(store, [id], clock.GetUtcNow(), ct))[0];
                return Results.Json(new NowView(view, await services.Live.GetAsync(id, ct)), Json);
            }));

        api.MapPost("/devices/{id}/calibrate", (HttpContext http, string id, CancellationToken ct) =>
            OwnedAsync(http, id, async () =>
            {
                var sent = await Calibration.SendAsync(services.Commands, clock, id, ct);
                if (sent.Error is not null) return Error(StatusCodes.Status503ServiceUnavailable, sent.Error);
                var command = sent.Command!;
                return Results.Json(new CommandView(command.Id, command.Type, command.Ts), Json, statusCode: StatusCodes.Status202Accepted);
            }));

        api.MapGet("/exercises", () => Results.Json(new CatalogView(ExerciseCatalog.All, ExerciseCatalog.SeeAProfessionalWhen,
            ExerciseCatalog.Disclaimer), Json));

        // Ingestion counters are the operator's: a signed-in wearer, or a health check on the server's own host.
        app.MapGet("/api/stats", (HttpContext http) =>
            http.User.WearerId() is not null || IsLocal(http)
                ? Results.Json(services.Stats.Snapshot(), Json)
                : Error(StatusCodes.Status401Unauthorized, "sign in first"));

        return app;

        async Task<IResult> OwnedAsync(HttpContext http, string id, Func<Task<IResult>> then)
        {
            if (!DeviceId.IsValid(id))
                return Error(StatusCodes.Status400BadRequest, $"'{id}' is not a device id; use 1-63 lowercase letters, digits or '-'");
            return services.Accounts.Owns(http.User.WearerId()!.Value, id) ? await then() : NotYours(id);
        }
    }

    /// <summary>Not the wearer's and not there look the same: no probing which devices exist.</summary>
    public static IResult NotYours(string id) => Error(StatusCodes.Status404NotFound, $"you have no device '{id}'");

    public static IResult Error(int status, string message) => Results.Json(new ErrorView(message), Json, statusCode: status);

    public static IResult Invalid(string message, IReadOnlyList<string> problems) =>
        Results.Json(new ProblemsView(message, problems), Json, statusCode: StatusCodes.Status400BadRequest);

    static bool IsLocal(HttpContext http) => http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);
}
