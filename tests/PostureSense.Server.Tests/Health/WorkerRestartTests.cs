using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Server.Workers;

namespace PostureSense.Server.Tests.Health;

/// <summary>A background worker that fails is reported down, logged by name, and started again.</summary>
public sealed class WorkerRestartTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    // Restarts wait on their own fake clock: the test says when the backoff is over.
    readonly FakeTimeProvider _restartClock = new();
    ServerHarness _harness = null!;
    FlakyWorker _worker = null!;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _harness = await ServerHarness.StartAsync(_dir.File("workers.db"), configureServices: services =>
        {
            services.AddSingleton(new WorkerRestart { Clock = _restartClock, FirstDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(2) });
            services.AddSingleton<FlakyWorker>();
            services.AddHostedService(sp => _worker = sp.GetRequiredService<FlakyWorker>());
        });

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_failed_worker_makes_the_server_unready_until_it_is_restarted()
    {
        await Eventually.TrueAsync(() => _worker.Runs == 1, "the worker to start");
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync());

        _worker.Fail.SetResult();

        await Eventually.TrueAsync(() => ReadyAsync().GetAwaiter().GetResult() == HttpStatusCode.ServiceUnavailable, "/readyz to turn unhealthy");
        using var unready = await _harness.Management.GetAsync("/readyz", Ct);
        var body = await unready.Content.ReadAsStringAsync(Ct);
        Assert.Contains("flaky", body);
        Assert.Contains("the feed broke", body);
        await Eventually.TrueAsync(() => _harness.Logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("Worker flaky failed")),
            "the failure to be logged with the worker's name");
        Assert.Equal(1, _worker.Runs);

        // The backoff ends when the restart clock says so.
        await Eventually.TrueAsync(() =>
        {
            _restartClock.Advance(TimeSpan.FromSeconds(3));
            return _worker.Runs == 2;
        }, "the worker to be started again");
        await Eventually.TrueAsync(() => ReadyAsync().GetAwaiter().GetResult() == HttpStatusCode.OK, "/readyz to be healthy again");
    }

    async Task<HttpStatusCode> ReadyAsync()
    {
        using var response = await _harness.Management.GetAsync("/readyz", Ct);
        return response.StatusCode;
    }

    /// <summary>Fails in its first run when told to; runs quietly after that.</summary>
    sealed class FlakyWorker(WorkerHealth health, WorkerRestart restart, ILogger<FlakyWorker> log) : SupervisedWorker("flaky", health, restart, log)
    {
        int _runs;
        public int Runs => Volatile.Read(ref _runs);
        public TaskCompletionSource Fail { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task RunAsync(CancellationToken stoppingToken)
        {
            if (Interlocked.Increment(ref _runs) == 1)
            {
                await Fail.Task.WaitAsync(stoppingToken);
                throw new InvalidOperationException("the feed broke");
            }
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
    }
}
