using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Clocks;
using PostureSense.Server.Coaching;
using PostureSense.Server.History;
using PostureSense.Server.Configuration;
using PostureSense.Server.Http;
using PostureSense.Server.Metrics;
using PostureSense.Storage;
using PostureSense.Storage.History;

using static PostureSense.Server.Http.Answers;

namespace PostureSense.Server.Api;

/// <summary>
/// The JSON API: the signed-in wearer's devices, a device's day, its trends and live state, and
/// the ingestion counters. Without a session every route answers 401; a device that is not the
/// wearer's is 404, exactly like one that does not exist. The ingestion counters are the
/// operator's only (they name other wearers' devices): 404 for anyone else, from wherever they ask.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>Trend lengths a wearer can ask for.</summary>
    public const int MaxHistoryDays = 90;

    public static IEndpointRouteBuilder MapPostureApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapGet("/devices", GetDevicesAsync);
        api.MapGet("/devices/{id}/days/{day}", GetDayAsync);
        api.MapGet("/devices/{id}/today", GetTodayAsync);
        api.MapGet("/devices/{id}/history", GetHistoryAsync);
        api.MapGet("/devices/{id}/now", GetNowAsync);
        api.MapPost("/devices/{id}/calibrate", CalibrateAsync);
        api.MapGet("/exercises", GetExercises);
        // Ingestion counters are fleet-wide: an operator's account only, never decided by the caller's address.
        app.MapGet("/api/stats", GetStatsAsync);
        return app;
    }

    public static async Task<Ok<List<DeviceView>>> GetDevicesAsync(HttpContext http, AccountService accounts, IPostureStore store,
        DeviceClocks clocks, [FromKeyedServices(PostureClock.Key)] TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await DeviceView.ForAsync(store, accounts.DevicesOf(http.User.WearerId()!.Value), clock.GetUtcNow(), clocks, ct));

    public static async Task<Results<Ok<DayView>, BadRequest<ErrorView>, NotFound<ErrorView>>> GetDayAsync(
        HttpContext http, string id, string day, AccountService accounts, DayReports days, CancellationToken ct)
    {
        if (!DeviceId.TryParse(id, out var device)) return BadId(id);
        if (!Owns(http, accounts, device)) return NotYours(id);
        if (!days.TryParseDay(device, day, out var date, out var error)) return TypedResults.BadRequest(new ErrorView(error!));
        return TypedResults.Ok(DayView.From(await days.BuildAsync(device, date, ct)));
    }

    public static async Task<Results<Ok<DayView>, BadRequest<ErrorView>, NotFound<ErrorView>>> GetTodayAsync(
        HttpContext http, string id, AccountService accounts, DayReports days, CancellationToken ct)
    {
        if (!DeviceId.TryParse(id, out var device)) return BadId(id);
        if (!Owns(http, accounts, device)) return NotYours(id);
        return TypedResults.Ok(DayView.From(await days.BuildAsync(device, days.TodayFor(device), ct)));
    }

    public static async Task<Results<Ok<HistoryView>, BadRequest<ErrorView>, NotFound<ErrorView>>> GetHistoryAsync(
        HttpContext http, string id, string? days, AccountService accounts, DaySummaries summaries, CancellationToken ct)
    {
        if (!DeviceId.TryParse(id, out var device)) return BadId(id);
        if (!Owns(http, accounts, device)) return NotYours(id);
        var count = 7;
        if (days is not null && (!int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
                                 || count is < 1 or > MaxHistoryDays))
            return TypedResults.BadRequest(new ErrorView($"days '{days}' must be a whole number from 1 to {MaxHistoryDays}"));
        var last = await summaries.LastDaysAsync(device, count, ct);
        return TypedResults.Ok(new HistoryView(device, count, [.. last.Select(TrendPoint.From)]));
    }

    public static async Task<Results<Ok<NowView>, BadRequest<ErrorView>, NotFound<ErrorView>>> GetNowAsync(
        HttpContext http, string id, AccountService accounts, IPostureStore store, LiveStates live, DeviceClocks clocks,
        [FromKeyedServices(PostureClock.Key)] TimeProvider clock, CancellationToken ct)
    {
        if (!DeviceId.TryParse(id, out var device)) return BadId(id);
        if (!Owns(http, accounts, device)) return NotYours(id);
        var view = (await DeviceView.ForAsync(store, [device], clock.GetUtcNow(), clocks, ct))[0];
        return TypedResults.Ok(new NowView(view, await live.GetAsync(device, ct)));
    }

    public static async Task<Results<Accepted<CommandView>, BadRequest<ErrorView>, NotFound<ErrorView>, JsonHttpResult<ErrorView>>> CalibrateAsync(
        HttpContext http, string id, AccountService accounts, ICommandPublisher commands,
        [FromKeyedServices(PostureClock.Key)] TimeProvider clock, CancellationToken ct)
    {
        if (!DeviceId.TryParse(id, out var device)) return BadId(id);
        if (!Owns(http, accounts, device)) return NotYours(id);
        var sent = await Calibration.SendAsync(commands, clock, device, ct);
        if (sent.Error is not null) return Error(StatusCodes.Status503ServiceUnavailable, sent.Error);
        var command = sent.Command!;
        return TypedResults.Accepted((string?)null, new CommandView(command.Id, command.Type, command.Ts));
    }

    public static Ok<CatalogView> GetExercises() =>
        TypedResults.Ok(new CatalogView(ExerciseCatalog.All, ExerciseCatalog.SeeAProfessionalWhen, ExerciseCatalog.Disclaimer));

    /// <summary>404 for anyone but an operator, signed in or not: the route does not show that it exists.</summary>
    public static async Task<Results<Ok<IngestionStatsSnapshot>, NotFound>> GetStatsAsync(HttpContext http, IngestionStats stats,
        AccountService accounts, ServerOptions options, CancellationToken ct) =>
        await Operators.IsOperatorAsync(http.User, accounts, options, ct) ? TypedResults.Ok(stats.Snapshot()) : TypedResults.NotFound();

    static bool Owns(HttpContext http, AccountService accounts, DeviceId id) => accounts.Owns(http.User.WearerId()!.Value, id);
}
