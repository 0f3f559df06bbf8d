using System.Diagnostics;
using System.Globalization;
using System.Text;
using PostureSense.Agent.Outbox;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Tests.Process;

/// <summary>
/// The agent program killed with SIGKILL at random moments while its broker is down, restarted on
/// the same data directory each time; then the broker comes up. Every batch the agent committed
/// to its outbox must reach a subscriber, in seq order, with no seq missing.
/// </summary>
public sealed class KilledAgentTests : IDisposable
{
    const string Device = "k-1";
    const double Speed = 5;
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Batches_committed_before_each_SIGKILL_all_reach_the_broker_in_seq_order_once_it_is_up()
    {
        var cancel = TestContext.Current.CancellationToken;
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var port = TestBroker.FreePort();
        var outboxFile = TelemetryOutbox.FilePath(_dir.Path, PostureSense.Core.Contract.DeviceId.Parse(Device));
        var log = new StringBuilder($"seed {seed}\n");
        // Each run's simulated clock starts after the previous run's simulated end, so frames of
        // different runs never share a ts, and in the past, as a server would want them. Whole
        // seconds, because frames are aligned to whole seconds.
        var simStart = WholeSeconds(DateTimeOffset.UtcNow.AddHours(-1));
        var runStarts = new List<long>();
        var committed = new Dictionary<long, TelemetryBatch>();

        AgentProcess StartRun()
        {
            runStarts.Add(simStart.ToUnixTimeMilliseconds());
            return AgentProcess.Start([
                "--device-id", Device, "--sim", "upright-hour", "--speed", Speed.ToString(CultureInfo.InvariantCulture),
                "--sim-start", simStart.ToString("O", CultureInfo.InvariantCulture),
                "--data-dir", _dir.Path, "--mqtt", $"mqtt://127.0.0.1:{port}"]);
        }

        for (var kill = 1; kill <= 3; kill++)
        {
            var wall = Stopwatch.StartNew();
            var agent = StartRun();
            // Killed at a random moment of its work, not of its start-up, however slow the machine.
            await Eventually.True(() => agent.Output.Contains($"Agent {Device} running", StringComparison.Ordinal), () => $"the agent running\n{agent.Output}");
            var lifetime = TimeSpan.FromSeconds(1 + 3 * random.NextDouble());
            await Task.Delay(lifetime, cancel);
            await agent.KillAsync();
            simStart = WholeSeconds(simStart + (wall.Elapsed + TimeSpan.FromSeconds(1)) * Speed);
            using (var outbox = TelemetryOutbox.Open(outboxFile, AgentOptions.DefaultOutboxMaxFrames))
                foreach (var batch in outbox.ReadAll()) committed[batch.Seq] = batch;
            log.AppendLine($"kill {kill} after {lifetime.TotalSeconds:0.00} s: outbox holds seqs {Describe(committed.Keys)}");
            await agent.DisposeAsync();
        }
        Assert.True(committed.Count > 0, $"no batch was committed before the kills\n{log}");

        await using var last = StartRun();
        await Task.Delay(TimeSpan.FromSeconds(1 + 3 * random.NextDouble()), cancel);
        await using var broker = await TestBroker.StartAsync(port);
        var wanted = committed.Keys.Max() + 3; // the backlog, then live batches after it
        await Eventually.True(() => Received(broker).Select(b => b.Seq).Distinct().Count(s => s <= wanted) == wanted,
            () => $"seqs 1..{wanted} at the subscriber\n{log}\n{last.Output}", seconds: 60);
        await last.KillAsync();

        var inArrival = Received(broker);
        var seqs = inArrival.Select(b => b.Seq).Distinct().ToList();
        var context = $"{log}received seqs {Describe(seqs)}\n--- last run ---\n{last.Output}";
        Assert.True(seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(i => (long)i)), $"seqs not 1..N in order: {context}");
        var bySeq = inArrival.DistinctBy(b => b.Seq).ToDictionary(b => b.Seq);
        foreach (var (seq, batch) in committed)
            Assert.True(batch.Frames.SequenceEqual(bySeq[seq].Frames), $"batch {seq} differs from what the outbox held: {context}");

        var frames = seqs.SelectMany(s => bySeq[s].Frames).ToList();
        Assert.True(frames.Zip(frames.Skip(1)).All(p => p.First.Ts < p.Second.Ts), $"frames out of order or twice: {context}");
        // Within a run the frames are every second; only a kill (frames not yet batched) makes a gap.
        foreach (var run in frames.GroupBy(f => runStarts.Last(start => start <= f.Ts)))
        {
            var ts = run.Select(f => f.Ts).ToList();
            Assert.True(ts.Zip(ts.Skip(1)).All(p => p.Second - p.First == 1000), $"a gap within the run starting {run.Key}: {context}");
        }
        TestContext.Current.TestOutputHelper?.WriteLine(context);
    }

    static DateTimeOffset WholeSeconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

    static List<TelemetryBatch> Received(TestBroker broker) =>
        [.. broker.On(Device, Topics.Telemetry).Select(m => Parse(m.Payload))];

    // The frames start an hour back, so "now" for the contract's future check is the real one.
    static TelemetryBatch Parse(string payload) =>
        WireFormat.ParseTelemetry(Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow) is { Ok: true } p
            ? p.Value!.Batch
            : throw new InvalidDataException($"bad telemetry: {payload}");

    static string Describe(IEnumerable<long> seqs)
    {
        var list = seqs.Order().ToList();
        return list.Count == 0 ? "none" : $"{list[0]}..{list[^1]} ({list.Count})";
    }
}
