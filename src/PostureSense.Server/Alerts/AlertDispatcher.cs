using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using PostureSense.Accounts;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Server.Accounts;
using PostureSense.Server.Configuration;
using PostureSense.Server.Workers;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;

namespace PostureSense.Server.Alerts;

/// <summary>
/// Sends each prompt to its wearer: to their open browsers at once, and to the push channels they
/// chose (ntfy, webhook) in the background, each retried with exponential backoff and jitter on
/// network errors, 408, 429 (honouring Retry-After) and 5xx, then logged as failed. Nothing here
/// ever waits inside the ingestion or coaching path: push deliveries are queued, and a worker the
/// host runs carries them out and, when the host stops, ends those still under way.
/// </summary>
public sealed class AlertDispatcher : SupervisedWorker
{
    readonly AccountService _accounts;
    readonly SettingsService _settings;
    readonly AlertHub _hub;
    readonly AlertLinkSigner _links;
    readonly HttpClient _http;
    readonly AlertDeliveryOptions _options;
    readonly ILogger _log;
    readonly SemaphoreSlim _parallel;
    readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    long _delivered, _failed;

    public AlertDispatcher(AccountService accounts, SettingsService settings, AlertHub hub, AlertLinkSigner links,
        AlertDeliveryOptions options, ILogger<AlertDispatcher> log, WorkerHealth health, WorkerRestart restart,
        HttpMessageHandler? handler = null)
        : base("alert-delivery", health, restart, log)
    {
        _accounts = accounts;
        _settings = settings;
        _hub = hub;
        _links = links;
        _options = options;
        _log = log;
        _parallel = new SemaphoreSlim(options.MaxParallel, options.MaxParallel);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = options.Timeout;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("PostureSense");
    }

    public long Delivered => Interlocked.Read(ref _delivered);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Raised when a push delivery ends: the channel (<c>ntfy</c>, <c>webhook</c>), the alert, and whether it got through.</summary>
    public event Action<string, PromptAlert, bool>? DeliveryEnded;

    /// <summary>For the coaching service's PromptSent: returns at once.</summary>
    public void OnPromptSent(string deviceId, DeviceCommand command)
    {
        if (command.Type != DeviceCommand.Types.Stretch || !PromptReasons.TryParse(command.Reason, out var reason)) return;
        Announce(PromptAlert.Create(deviceId, command.Id, command.Ts, reason, command.Exercise ?? "", reminder: false));
    }

    /// <summary>Announces an alert on every channel its device's wearer chose; a device nobody owns alerts no one.</summary>
    public void Announce(PromptAlert alert)
    {
        if (_accounts.OwnerOf(alert.DeviceId) is not { } wearerId) return;
        var alerts = _settings.For(wearerId).Alerts;
        if (alerts.Browser) _hub.Publish(wearerId, alert);
        var links = _links.LinksFor(alert);
        if (alerts.Ntfy is { } ntfy) Start("ntfy", alert, () => PushRequests.Ntfy(ntfy, alert, links));
        if (alerts.Webhook is { } webhook) Start("webhook", alert, () => PushRequests.Webhook(webhook, alert, links));
    }

    void Start(string channel, PromptAlert alert, Func<HttpRequestMessage> request) =>
        _deliveries.Writer.TryWrite(new Delivery(channel, alert, request));

    protected override async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var delivery in _deliveries.Reader.ReadAllAsync(stop))
                Track(DeliverAsync(delivery.Channel, delivery.Alert, delivery.Request, stop));
        }
        finally
        {
            if (stop.IsCancellationRequested)
            {
                // Stopping: those not begun are reported like those cut short, and all are awaited.
                while (_deliveries.Reader.TryRead(out var left)) Track(DeliverAsync(left.Channel, left.Alert, left.Request, stop));
                try { await Task.WhenAll(_inFlight.Keys); }
                catch (OperationCanceledException) { }
            }
        }
    }

    void Track(Task delivery)
    {
        _inFlight[delivery] = 0;
        delivery.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    async Task DeliverAsync(string channel, PromptAlert alert, Func<HttpRequestMessage> makeRequest, CancellationToken stop)
    {
        var ok = false;
        try
        {
            await _parallel.WaitAsync(stop);
            try
            {
                ok = await SendWithRetriesAsync(channel, alert, makeRequest, stop);
            }
            finally
            {
                _parallel.Release();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _log.LogWarning("Stopped before {Channel} alert {CommandId} for {DeviceId} was delivered", channel, alert.CommandId, alert.DeviceId);
        }
        Interlocked.Increment(ref ok ? ref _delivered : ref _failed);
        try { DeliveryEnded?.Invoke(channel, alert, ok); }
        catch (Exception ex) { _log.LogError(ex, "A DeliveryEnded handler failed"); }
    }

    async Task<bool> SendWithRetriesAsync(string channel, PromptAlert alert, Func<HttpRequestMessage> makeRequest, CancellationToken stop)
    {
        var attempts = 0;
        string problem;
        try
        {
            using var response = await Retry(channel, alert, stop).ExecuteAsync(async ct =>
            {
                attempts++;
                using var request = makeRequest();
                return await _http.SendAsync(request, ct);
            }, stop);
            if (response.IsSuccessStatusCode)
            {
                if (attempts > 1) _log.LogInformation("Delivered {Channel} alert {CommandId} after {Attempts} attempts", channel, alert.CommandId, attempts);
                return true;
            }
            problem = Problem(response);
            if (!Retryable(response.StatusCode))
            {
                _log.LogError("{Channel} refused alert {CommandId} for {DeviceId}: {Problem}; not retried", channel, alert.CommandId, alert.DeviceId, problem);
                return false;
            }
        }
        catch (Exception ex) when (Transient(ex, stop))
        {
            problem = Problem(ex);
        }
        _log.LogError("Could not deliver {Channel} alert {CommandId} for {DeviceId} after {Attempts} attempts: {Problem}",
            channel, alert.CommandId, alert.DeviceId, attempts, problem);
        return false;
    }

    /// <summary>Retries network errors, 408, 429 and 5xx; a Retry-After longer than the backoff is waited out, up to the cap.</summary>
    ResiliencePipeline<HttpResponseMessage> Retry(string channel, PromptAlert alert, CancellationToken stop) =>
        // Real time: this waits on someone else's server.
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } ex
                    ? Transient(ex, stop)
                    : args.Outcome.Result is { IsSuccessStatusCode: false } r && Retryable(r.StatusCode)),
                DelayGenerator = args =>
                {
                    var delay = TimeSpan.FromTicks((long)Math.Min(_options.FirstDelay.Ticks * Math.Pow(2, args.AttemptNumber), _options.MaxDelay.Ticks));
                    var wait = args.Outcome.Result?.Headers.RetryAfter?.Delta is { } ra && ra > delay
                        ? TimeSpan.FromTicks(Math.Min(ra.Ticks, _options.MaxDelay.Ticks))
                        : Jittered(delay);
                    return new ValueTask<TimeSpan?>(wait);
                },
                OnRetry = args =>
                {
                    var problem = args.Outcome.Exception is { } ex ? Problem(ex) : Problem(args.Outcome.Result!);
                    _log.LogWarning("Delivering {Channel} alert {CommandId} failed (attempt {Attempt}): {Problem}; retrying in {Delay}",
                        channel, alert.CommandId, args.AttemptNumber + 1, problem, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    static bool Transient(Exception ex, CancellationToken stop) =>
        ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested;

    string Problem(Exception ex) => ex is TaskCanceledException ? $"no answer within {_options.Timeout.TotalSeconds:0} s" : ex.Message;

    static string Problem(HttpResponseMessage response) => $"{(int)response.StatusCode} {response.ReasonPhrase}";

    static bool Retryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Up to a quarter more, so that many alerts failing together do not retry together.</summary>
    static TimeSpan Jittered(TimeSpan delay) => delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.25 * Random.Shared.NextDouble()));

    public override void Dispose()
    {
        base.Dispose();
        _http.Dispose();
        _parallel.Dispose();
    }

    readonly record struct Delivery(string Channel, PromptAlert Alert, Func<HttpRequestMessage> Request);
}
