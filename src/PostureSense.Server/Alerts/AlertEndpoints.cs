using PostureSense.Core.Contract;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using PostureSense.Core.History;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Http;
using static PostureSense.Server.Http.Answers;

namespace PostureSense.Server.Alerts;

/// <summary>
/// Phone alerts over HTTP: the live stream of the wearer's prompts (server-sent events, one
/// <c>prompt</c> event per alert), the "Done" and "Snooze" answers from the signed-in browser, and
/// the signed links behind a push notification's buttons.
/// </summary>
public static class AlertEndpoints
{
    /// <summary>A comment line this often keeps proxies and the browser from closing an idle stream.</summary>
    static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapAlertApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapGet("/alerts/stream", StreamAsync);
        api.MapPost("/devices/{id}/prompts/{commandId}/{action}", AnswerPromptAsync);
        // The link is the credential: a phone's notification app calls it without a session.
        app.MapPost(AlertLinkSigner.ActionRoute + "{token}", AnswerLinkAsync).AllowAnonymous();
        return app;
    }

    /// <summary>Server-sent events: written as they come until the browser or the server goes away, so no result.</summary>
    public static async Task StreamAsync(HttpContext http, AlertHub hub, IHostApplicationLifetime lifetime, CancellationToken requestAborted)
    {
        // Ends with the browser or with the server: an open stream must not hold up a shutdown.
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var ct = ends.Token;
        var wearerId = http.User.WearerId()!.Value;
        var channel = hub.Subscribe(wearerId);
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await http.Response.WriteAsync("retry: 5000\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(Heartbeat);
                bool more;
                try { more = await channel.Reader.WaitToReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": still here\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    continue;
                }
                if (!more) break;
                while (channel.Reader.TryRead(out var alert))
                    await http.Response.WriteAsync(Event(alert), ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The browser went away.
        }
        finally
        {
            hub.Unsubscribe(wearerId, channel);
        }
    }

    public static async Task<Results<Ok<AnswerView>, NotFound<ErrorView>>> AnswerPromptAsync(HttpContext http, string id, string commandId, string action,
        AccountService accounts, PromptActions answers, CancellationToken ct)
    {
        if (action is not (PromptAction.Done or PromptAction.Snooze))
            return TypedResults.NotFound(new ErrorView($"'{action}' is not an answer; use done or snooze"));
        if (!DeviceId.TryParse(id, out var device) || !accounts.Owns(http.User.WearerId()!.Value, device)) return NotYours(id);
        return await AnswerAsync(answers, device, commandId, action, ct) is { } ack
            ? TypedResults.Ok(AnswerView.From(ack))
            : TypedResults.NotFound(new ErrorView($"device '{id}' has no prompt '{commandId}' from the last {PromptActions.AnswerableFor.TotalDays:0} days"));
    }

    public static async Task<Results<Ok<AnswerView>, NotFound<ErrorView>, JsonHttpResult<ErrorView>>> AnswerLinkAsync(string token,
        AlertLinkSigner links, PromptActions answers, CancellationToken ct)
    {
        if (!links.TryRead(token, out var action, out var deviceId, out var commandId))
            return Error(StatusCodes.Status403Forbidden, "this link is not valid or has expired; answer in the dashboard");
        return await AnswerAsync(answers, deviceId, commandId, action, ct) is { } ack
            ? TypedResults.Ok(AnswerView.From(ack))
            : TypedResults.NotFound(new ErrorView("that prompt is gone"));
    }

    static Task<AckRecord?> AnswerAsync(PromptActions answers, DeviceId deviceId, string commandId, string action, CancellationToken ct) =>
        action == PromptAction.Done ? answers.DoneAsync(deviceId, commandId, ct) : answers.SnoozeAsync(deviceId, commandId, ct);

    /// <summary>One server-sent event: <c>event: prompt</c>, the command id as its id, the alert as JSON data on one line.</summary>
    public static string Event(PromptAlert alert) =>
        new StringBuilder().Append("event: prompt\nid: ").Append(alert.CommandId).Append("\ndata: ")
            .Append(JsonSerializer.Serialize(alert, Json)).Append("\n\n").ToString();

    public sealed record AnswerView(DeviceId DeviceId, string CommandId, string Status, long Ts)
    {
        public static AnswerView From(AckRecord ack) => new(ack.DeviceId, ack.CommandId, ack.Status, ack.Ts);
    }
}
