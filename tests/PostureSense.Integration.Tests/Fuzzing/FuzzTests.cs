using PostureSense.Core.Contract;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Configuration;
using PostureSense.Server;
using PostureSense.Server.Configuration;
using PostureSense.Storage;
using PostureSense.TestSupport.Fuzzing;

namespace PostureSense.Integration.Tests.Fuzzing;

/// <summary>
/// The server takes everything a broken or hostile client can send without falling over, counts
/// each refusal under its reason, and still stores every good frame sent among the junk. Alone in
/// its collection: /metrics sums every server of this name in the process, and its counts must be
/// exactly this server's.
/// </summary>
[CollectionDefinition(nameof(FuzzCollection), DisableParallelization = true)]
public sealed class FuzzCollection;

[Collection(nameof(FuzzCollection))]
public sealed class FuzzTests
{
    /// <summary>
    /// 10,000 junk messages, 2,000 on each of the five topics (plus 1,000 on random topics and a
    /// good batch after every 50), over a real mosquitto, and generated bodies to every HTTP route, at the same
    /// time. A failure prints its seed; <c>POSTURESENSE_FUZZ_SEED</c> replays it.
    /// </summary>
    [Fact]
    public async Task Junk_on_every_topic_and_route_is_counted_and_every_good_frame_is_stored()
    {
        var settings = FuzzSettings.FromEnvironment(junkPerTopic: 2_000, httpBodiesPerRoute: 3);
        var report = await FuzzRun.RunAsync(settings, TestContext.Current.TestOutputHelper, TestContext.Current.CancellationToken);
        Assert.True(report.Problems.Count == 0,
            $"{report.Summary}\n{report.Problems.Count} problems (replay with POSTURESENSE_FUZZ_SEED={settings.Seed}):\n" +
            string.Join("\n", report.Problems.Take(60)));
    }
}

/// <param name="Seed">Fixed in CI so that a failure replays; <c>POSTURESENSE_FUZZ_SEED</c> sets another.</param>
public sealed record FuzzSettings(ulong Seed, int JunkPerTopic, int HttpBodiesPerRoute)
{
    public const ulong DefaultSeed = 20261124;

    /// <summary>The defaults, or POSTURESENSE_FUZZ_SEED, _JUNK_PER_TOPIC and _HTTP_BODIES (the bench sets these).</summary>
    public static FuzzSettings FromEnvironment(int junkPerTopic, int httpBodiesPerRoute)
    {
        static T Get<T>(string name, T fallback) where T : IParsable<T> =>
            Environment.GetEnvironmentVariable("POSTURESENSE_FUZZ_" + name) is { Length: > 0 } text ? T.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new(Get("SEED", DefaultSeed), Get("JUNK_PER_TOPIC", junkPerTopic), Get("HTTP_BODIES", httpBodiesPerRoute));
    }
}

public sealed record FuzzReport(string Summary, IReadOnlyList<string> Problems);

static class FuzzRun
{
    static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    // No persistence and no queue limits: the broker must not be what drops a message.
    const string BrokerConfig = """
        listener 1883
        allow_anonymous true
        persistence false
        max_queued_messages 10000000
        max_inflight_messages 0
        log_type error
        log_type warning
        """;

    public static async Task<FuzzReport> RunAsync(FuzzSettings settings, ITestOutputHelper? output, CancellationToken ct)
    {
        var problems = new List<string>();
        var folder = Directory.CreateTempSubdirectory("posturesense-fuzz-");
        try
        {
            var config = Path.Combine(folder.FullName, "fuzz-mosquitto.conf");
            await File.WriteAllTextAsync(config, BrokerConfig, ct);
            await using var broker = await MosquittoServer.StartAsync(configFile: config, cancellationToken: ct);
            var logs = new CountingLoggerProvider();
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(logs));
            var options = new ServerOptions
            {
                Mqtt = MqttBrokerAddress.Parse($"mqtt://127.0.0.1:{broker.Port}"),
                Store = StoreLocation.Parse("sqlite:" + Path.Combine(folder.FullName, "posture.db")),
                Http = new HttpEndpoint(IPAddress.Loopback, 0),
                Management = new HttpEndpoint(IPAddress.Loopback, 0),
            };
            // Event time stands still: a message's verdict (a timestamp too far ahead) must not depend on when it is read.
            await using var server = new PostureServer(options, new FakeTimeProvider(Now), loggers);
            await server.StartAsync(ct);
            var wearer = (await server.Accounts.SignUpAsync("wearer@example.org", "correct horse battery", ct)).Wearer!;
            foreach (var device in FuzzPlan.GoodDevices) Assert.True((await server.Accounts.AssignAsync(wearer.Id, device, ct)).Succeeded);
            using var signedIn = Client(server.HttpUrl!);
            using (var login = await signedIn.PostAsJsonAsync("/api/account/login", new { email = "wearer@example.org", password = "correct horse battery" }, ct))
                Assert.True(login.IsSuccessStatusCode, $"sign in: {login.StatusCode}");
            using var anonymous = Client(server.HttpUrl!);
            using var management = new HttpClient { BaseAddress = server.ManagementUrl, Timeout = TimeSpan.FromSeconds(30) };

            var plan = new FuzzPlan(settings.Seed, settings.JunkPerTopic, Now);
            var expected = new ExpectedCounts();
            var http = new HttpFuzzer(signedIn, anonymous);
            var routes = HttpFuzzer.Routes(server.Services);
            var clock = Stopwatch.StartNew();
            var httpRun = http.RunAsync(routes, settings.Seed, settings.HttpBodiesPerRoute, [.. FuzzPlan.GoodDevices, "fuzz-1"], ct);
            var published = await MqttFuzzSender.SendAsync("127.0.0.1", broker.Port, plan.Generate(), m => expected.Count(m, Now), clients: 8, ct);
            var sentIn = clock.Elapsed;
            await httpRun;

            // Every message the broker took for the server reaches a verdict (accepted or rejected, each counted once).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60 + expected.Received / 500);
            while (server.Stats.Processed < expected.Received && DateTime.UtcNow < deadline) await Task.Delay(100, ct);
            await Task.Delay(500, ct); // and no more than that
            var stats = server.Stats.Snapshot();
            if (stats.Processed != expected.Received)
                problems.Add($"the server reached a verdict on {stats.Processed} messages; it received {expected.Received}");
            Compare(problems, "rejected (/api/stats)", expected.Rejected, stats.Rejected);
            Compare(problems, "accepted (/api/stats)", expected.Accepted, stats.Accepted);
            Compare(problems, "frames rejected (/api/stats)", expected.FramesRejected, stats.RejectedFrames);
            problems.AddRange(expected.Misclassified);

            // The exporter may answer a scrape from a short cache: ask until the counts show.
            Dictionary<string, long> scraped = [];
            for (var i = 0; i < 50; i++)
            {
                scraped = MetricsScrape.ByLabel(await management.GetStringAsync("/metrics", ct), "posturesense_messages_rejected_total", "reason");
                if (scraped.Values.Sum() >= expected.RejectedTotal) break;
                await Task.Delay(200, ct);
            }
            Compare(problems, "rejected (/metrics)", expected.Rejected, scraped);

            foreach (var (device, frames) in plan.GoodFrames)
            {
                if (frames.Count == 0) continue;
                var stored = await server.Store.ReadFramesAsync(DeviceId.Parse(device), frames[0].Ts, frames[^1].Ts + 1, ct);
                var missing = frames.Except(stored).ToList();
                if (missing.Count > 0 || stored.Count != frames.Count)
                    problems.Add($"{device}: {stored.Count} of {frames.Count} good frames stored; {missing.Count} missing or changed, first ts {missing.FirstOrDefault().Ts}");
            }
            foreach (var path in new[] { "/healthz", "/readyz" })
            {
                using var health = await management.GetAsync(path, ct);
                if (health.StatusCode != HttpStatusCode.OK) problems.Add($"{path} answered {(int)health.StatusCode} after the run");
            }
            problems.AddRange(http.Failures.Select(f => $"HTTP {f.Method} {f.Path[..Math.Min(f.Path.Length, 120)]} ({(f.SignedIn ? "signed in" : "anonymous")}, {f.BodyKind}): {f.Outcome}"));
            problems.AddRange(logs.Errors.Select(e => "logged: " + e));

            var good = plan.GoodFrames.Values.Sum(f => f.Count);
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"seed {settings.Seed}: {expected.Sent:N0} messages published in {sentIn.TotalSeconds:0.0} s ({published:N0} acknowledged by the broker), " +
                $"{expected.Received:N0} for the server to ingest: {expected.RejectedTotal:N0} rejected, {expected.Accepted.Values.Sum():N0} accepted, " +
                $"{expected.FramesRejected.Values.Sum():N0} frames dropped; {good:N0} good frames on {FuzzPlan.GoodDevices.Length} devices. " +
                $"Rejected by reason: {string.Join(", ", expected.Rejected.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value:N0}"))}. " +
                $"HTTP: {http.Requests:N0} requests to {routes.Count} routes, statuses {string.Join(" ", http.Statuses.Order())}. " +
                $"Log: {logs.Warnings:N0} warnings, {logs.Errors.Count} errors.");
            output?.WriteLine(summary);
            return new FuzzReport(summary, problems);
        }
        finally
        {
            try { folder.Delete(recursive: true); }
            catch (IOException) { }
        }
    }

    static HttpClient Client(Uri baseAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    static void Compare(List<string> problems, string what, IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, long> actual)
    {
        foreach (var key in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
            if (expected.GetValueOrDefault(key) != actual.GetValueOrDefault(key))
                problems.Add($"{what} '{key}': expected {expected.GetValueOrDefault(key)}, counted {actual.GetValueOrDefault(key)}");
    }
}
