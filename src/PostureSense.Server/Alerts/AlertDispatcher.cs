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
using PostureSense.Server.Outbound;
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
/// The URLs are the wearers' own input: every connection goes only where <see cref="OutboundTargets"/>
/// allows, no redirect is followed, and each wearer has a share of deliveries (<see cref="DeliveryLimits"/>)
/// so one URL that never answers holds up no one else's alerts.
/// </summary>
public sealed class AlertDispatcher : SupervisedWorker, IAlertAnnouncer
{
    readonly AccountService _accounts;
    readonly SettingsService _settings;
    readonly AlertHub _hub;
    readonly AlertLinkSigner _links;
    readonly HttpClient _http;
    readonly AlertDeliveryOptions _options;
    readonly PostureMetrics? _metrics;
    readonly ILogger _log;
    readonly SemaphoreSlim _parallel;
    readonly DeliveryLimits _limits;
    readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    long _delivered, _failed;

    /// <param name="handler">Null: one that connects only where <paramref name="targets"/> allows.</param>
    public AlertDispatcher(AccountService accounts, SettingsService settings, AlertHub hub, AlertLinkSigner links,
        AlertDeliveryOptions options, OutboundTargets targets, PostureMetrics? metrics, ILogger<AlertDispatcher> log,
        WorkerHealth health, WorkerRestart restart, HttpMessageHandler? handler = null)
        : base("alert-delivery", health, restart, log)
    {
        _accounts = accounts;
        _settings = settings;
        _hub = hub;
        _links = links;
        _options = options;
        _metrics = metrics;
        _log = log;
        _parallel = new SemaphoreSlim(options.MaxParallel, options.MaxParallel);
        _limits = new DeliveryLimits(options);
        _http = handler is null ? new HttpClient(OutboundHttp.Handler(targets, options.Timeout)) : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = options.Timeout;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("PostureSense");
    }

    public long Delivered => Interlocked.Read(ref _delivered);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Raised when a push delivery ends: the channel (<c>ntfy</c>, <c>webhook</c>), the alert, and whether it got through.</summary>
    public event Action<string, PromptAlert, bool>? DeliveryEnded;

    /// <summary>For the coaching service's PromptSent: returns at once.</summary>
    public void OnPromptSent(DeviceId deviceId, DeviceCommand command)
    {
        if (command.Type != DeviceCommand.Types.Stretch || !PromptReasons.TryParse(command.Reason, out var reason)) return;
        Announce(PromptAlert.Create(deviceId, command.Id, command.Ts, reason, command.Exercise ?? "", reminder: false));
    }

    /// <summary>
    /// In a cluster: hands an alert this node announces to the other nodes, which show it to the
    /// wearer's pages open there (<see cref="ShowInBrowsers"/>). Null on a single server. Must return at once.
    /// </summary>
    public Action<PromptAlert>? Relay { get; set; }

    /// <summary>Announces an alert on every channel its device's wearer chose; a device nobody owns alerts no one.</summary>
    public void Announce(PromptAlert alert)
    {
        // Before the owner is looked up here: the other nodes look the wearer up in their own accounts.
        Relay?.Invoke(alert);
        if (_accounts.OwnerOf(alert.DeviceId) is not { } wearerId) return;
        var alerts = _settings.For(wearerId).Alerts;
        if (alerts.Browser) _hub.Publish(wearerId, alert);
        var links = _links.LinksFor(alert);
        if (alerts.Ntfy is { } ntfy) Start(wearerId, "ntfy", alert, () => PushRequests.Ntfy(ntfy, alert, links));
        if (alerts.Webhook is { } webhook) Start(wearerId, "webhook", alert, () => PushRequests.Webhook(webhook, alert, links));
    }

    /// <summary>
    /// An alert another node of the cluster announced: shown to the pages open here of its device's
    /// wearer, if they want alerts in the browser. Pushes are the announcing node's to send.
    /// </summary>
    public void ShowInBrowsers(PromptAlert alert)
    {
        if (_accounts.OwnerOf(alert.DeviceId) is not { } wearerId) return;
        if (_settings.For(wearerId).Alerts.Browser) _hub.Publish(wearerId, alert);
    }

    void Start(long wearerId, string channel, PromptAlert alert, Func<HttpRequestMessage> request) =>
        _deliveries.Writer.TryWrite(new Delivery(wearerId, channel, alert, request));

    protected override async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var delivery in _deliveries.Reader.ReadAllAsync(stop))
                Track(DeliverAsync(delivery, stop));
        }
        finally
        {
            if (stop.IsCancellationRequested)
            {
                // Stopping: those not begun are reported like those cut short, and all are awaited.
                while (_deliveries.Reader.TryRead(out var left)) Track(DeliverAsync(left, stop));
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

    async Task DeliverAsync(Delivery delivery, CancellationToken stop)
    {
        var (_, channel, alert, makeRequest) = delivery;
        var ok = false;
        try
        {
            var (permit, refusal) = await _limits.AcquireAsync(delivery.WearerId, channel, stop);
            using (permit)
            {
                if (refusal is not null)
                {
                    _metrics?.AlertRefused(OutboundTargets.SendStage, refusal);
                    _log.LogWarning("Did not send {Channel} alert {CommandId} for {DeviceId}: its wearer {WearerId} is over their limit ({Reason})",
                        channel, alert.CommandId, alert.DeviceId, delivery.WearerId, refusal);
                }
                else
                {
                    ok = await SendWithRetriesAsync(channel, alert, makeRequest, stop);
                }
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
                // A slot of the shared MaxParallel per attempt, not through the backoff between attempts.
                await _parallel.WaitAsync(ct);
                try
                {
                    using var request = makeRequest();
                    return await _http.SendAsync(request, ct);
                }
                finally
                {
                    _parallel.Release();
                }
            }, stop);
            if (response.IsSuccessStatusCode)
            {
                if (attempts > 1) _log.LogInformation("Delivered {Channel} alert {CommandId} after {Attempts} attempts", channel, alert.CommandId, attempts);
                return true;
            }
            problem = Problem(response);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                // Followed, it could lead anywhere the checks of the URL never looked at.
                _metrics?.AlertRefused(OutboundTargets.SendStage, Redirect);
                _log.LogError("{Channel} answered alert {CommandId} for {DeviceId} with a redirect ({Problem}) to {Location}, which is not followed",
                    channel, alert.CommandId, alert.DeviceId, problem, response.Headers.Location?.ToString() ?? "nowhere");
                return false;
            }
            if (!Retryable(response.StatusCode))
            {
                _log.LogError("{Channel} refused alert {CommandId} for {DeviceId}: {Problem}; not retried", channel, alert.CommandId, alert.DeviceId, problem);
                return false;
            }
        }
        catch (Exception ex) when (OutboundRefusedException.In(ex) is { } refused)
        {
            // Counted by the check; never retried: the address will not become an allowed one.
            _log.LogError("Refused to deliver {Channel} alert {CommandId} for {DeviceId}: {Problem}", channel, alert.CommandId, alert.DeviceId, refused.Message);
            return false;
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

    /// <summary>The reason a 3xx is counted under.</summary>
    public const string Redirect = "redirect";

    static bool Transient(Exception ex, CancellationToken stop) =>
        ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested && OutboundRefusedException.In(ex) is null;

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
        _limits.Dispose();
    }

    readonly record struct Delivery(long WearerId, string Channel, PromptAlert Alert, Func<HttpRequestMessage> Request);
}
