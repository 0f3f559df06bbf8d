using System.Text;
using CsCheck;
using PostureSense.Core.Contract;
using PostureSense.Core.Posture;
using PostureSense.Server.Metrics;

namespace PostureSense.TestSupport.Fuzzing;

/// <param name="Class">What made it: "good", "valid", a mutation's name, or a topic class; shown when a check fails.</param>
/// <param name="Intended">The rejection reason this message must be counted under, when its class is certain of one.</param>
public sealed record FuzzMessage(int Index, string Topic, byte[] Payload, string Class, string? Intended, bool Good = false);

/// <summary>
/// A seeded, replayable sequence of messages: junk on every topic (mutations of valid messages,
/// valid messages in odd places, random topics), with known-good telemetry batches from a few
/// devices interleaved. The same seed and count give the same messages.
/// </summary>
public sealed class FuzzPlan
{
    public static readonly string[] GoodDevices = ["good-1", "good-2", "good-3", "good-4"];
    const int FramesPerGoodBatch = 5;
    const int JunkDevices = 100;
    static readonly string[] Suffixes = [Topics.Telemetry, Topics.Status, Topics.Ack, Topics.Command, Topics.Config];

    readonly int _junkPerSuffix;
    readonly DateTimeOffset _now;
    readonly int _goodEvery;
    readonly Dictionary<string, List<PostureFrame>> _goodFrames = GoodDevices.ToDictionary(d => d, _ => new List<PostureFrame>());

    /// <param name="junkPerSuffix">Junk messages on each of telemetry, status, ack, cmd and config; random topics come on top (a tenth as many).</param>
    /// <param name="goodEvery">A good batch after every this many junk messages.</param>
    public FuzzPlan(ulong seed, int junkPerSuffix, DateTimeOffset now, int goodEvery = 50)
    {
        Seed = seed;
        _junkPerSuffix = junkPerSuffix;
        _now = now;
        _goodEvery = goodEvery;
    }

    public ulong Seed { get; }
    public long JunkCount => (long)_junkPerSuffix * Suffixes.Length + RandomTopics;
    int RandomTopics => Math.Max(1, _junkPerSuffix * Suffixes.Length / 10);

    /// <summary>Every frame the good devices sent so far, by device, in time order: all must be stored as sent.</summary>
    public IReadOnlyDictionary<string, List<PostureFrame>> GoodFrames => _goodFrames;

    /// <summary>The messages, made one at a time so that a million of them need not fit in memory at once.</summary>
    public IEnumerable<FuzzMessage> Generate()
    {
        var pcg = new PCG(0, Seed);
        var now = _now;
        var valid = new Dictionary<string, Gen<byte[]>>
        {
            [Topics.Telemetry] = ContractGen.Telemetry(now).Select(WireFormat.Serialize),
            [Topics.Status] = ContractGen.Status(now).Select(WireFormat.Serialize),
            [Topics.Ack] = ContractGen.Ack(now).Select(WireFormat.Serialize),
            [Topics.Command] = ContractGen.Command(now).Select(WireFormat.Serialize),
            // A config is the server's to write; what others publish there is whatever they like.
            [Topics.Config] = ContractGen.Status(now).Select(WireFormat.Serialize),
        };
        // Which topic each junk message goes to, shuffled: a byte each, so a million cost a megabyte.
        var jobs = new List<byte>();
        for (byte s = 0; s < Suffixes.Length; s++) jobs.AddRange(Enumerable.Repeat(s, _junkPerSuffix));
        jobs.AddRange(Enumerable.Repeat((byte)Suffixes.Length, RandomTopics));
        Shuffle(pcg, jobs);

        var goodStart = (now - TimeSpan.FromHours(12)).ToUnixTimeMilliseconds() / 1000 * 1000;
        var goodBatches = 0;
        var index = 0;
        foreach (var job in jobs)
        {
            yield return job == Suffixes.Length ? RandomTopic(pcg, index++, valid) : Junk(pcg, index++, Suffixes[job], valid[Suffixes[job]], now);
            if (index % _goodEvery != 0) continue;
            // Good batches: each device's frames one second apart, batch after batch, on devices no junk is sent for.
            var device = GoodDevices[goodBatches % GoodDevices.Length];
            var frames = _goodFrames[device];
            var batch = Enumerable.Range(0, FramesPerGoodBatch)
                .Select(i => new PostureFrame(goodStart + (frames.Count + i) * 1000L, 10 + (frames.Count + i) % 20, -2, 0.01, 0)).ToArray();
            frames.AddRange(batch);
            yield return new FuzzMessage(index++, Topics.For(DeviceId.Parse(device), Topics.Telemetry),
                WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, goodBatches / GoodDevices.Length, batch)), "good", null, Good: true);
            goodBatches++;
        }
    }

    static FuzzMessage Junk(PCG pcg, int index, string suffix, Gen<byte[]> valid, DateTimeOffset now)
    {
        var device = "fuzz-" + pcg.Below(JunkDevices);
        var payload = valid.Generate(pcg, null, out _);
        var roll = pcg.Below(100);
        if (roll < 8) return new(index, Topics.For(DeviceId.Parse(device), suffix), payload, "valid", null);
        // The same batch again (a replay, or a seq that did not move): stored once, counted as accepted.
        if (roll < 10) return new(index, Topics.For(DeviceId.Parse(device), suffix), payload, "duplicate", null);
        if (roll < 14 && suffix is Topics.Telemetry or Topics.Status or Topics.Ack) return OutOfWindow(pcg, index, device, suffix, payload, now);
        var mutation = Mutation.All[pcg.Below(Mutation.All.Count)];
        var mutated = mutation.Apply(pcg, payload, suffix);
        var intended = mutated.Intended;
        // A mutation that also grew the payload past the limit is refused for its size first.
        if (intended is not null && mutated.Payload.Length > Limit(suffix)) intended = RejectionReasons.Oversized;
        return new(index, Topics.For(DeviceId.Parse(device), suffix), mutated.Payload, mutation.Name, intended);
    }

    static int Limit(string suffix) => suffix == Topics.Telemetry ? ContractLimits.MaxTelemetryBytes : ContractLimits.MaxCommandBytes;

    /// <summary>
    /// Timestamps before 2020 or far in the future. In telemetry they drop the frame, not the batch.
    /// In acks and statuses the check follows whatever the contract says.
    /// </summary>
    static FuzzMessage OutOfWindow(PCG pcg, int index, string device, string suffix, byte[] payload, DateTimeOffset now)
    {
        var far = pcg.Below(2) == 0 ? pcg.Pick(0L, -1L, ContractLimits.MinPlausibleTs - 1) : now.ToUnixTimeMilliseconds() + pcg.Pick((long)ContractLimits.MaxFutureSkew.TotalMilliseconds + 1, 86_400_000L, 253_402_300_800_000L);
        var node = System.Text.Json.Nodes.JsonNode.Parse(payload)!.AsObject();
        if (node["frames"] is System.Text.Json.Nodes.JsonArray frames)
        {
            // Past the last frame or before the first, so the batch stays in time order.
            if (far > now.ToUnixTimeMilliseconds()) frames[^1]!["ts"] = far;
            else frames[0]!["ts"] = far;
        }
        else node["ts"] = far;
        return new(index, Topics.For(DeviceId.Parse(device), suffix), Encoding.UTF8.GetBytes(node.ToJsonString()), "out-of-window", null);
    }

    /// <summary>Topics the server must not take as a device's: bad ids under the root, other suffixes, other roots.</summary>
    static FuzzMessage RandomTopic(PCG pcg, int index, Dictionary<string, Gen<byte[]>> valid)
    {
        var suffix = pcg.Pick(Topics.Telemetry, Topics.Status, Topics.Ack);
        var payload = valid[suffix].Generate(pcg, null, out _);
        string badId = pcg.Pick("", "Desk-1", "-desk", "desk_1", "desk 1", "déšk", "😀", new string('a', 64), "a.b", "..", "DESK", "desk\u00a0") ;
        var (topic, intended) = pcg.Below(6) switch
        {
            // Under the root with an id the contract refuses: received (the filter's + matches it), refused by name.
            0 or 1 => ($"{Topics.Root}{badId}/{suffix}", RejectionReasons.UnknownTopic),
            // Never subscribed to: the broker does not deliver these to the server at all.
            2 => ($"{Topics.Root}fuzz-{pcg.Below(JunkDevices)}/{suffix}/extra", null),
            3 => ($"{Topics.Root}fuzz-{pcg.Below(JunkDevices)}/{pcg.Pick("telemetry2", "Telemetry", "acks", "state", " ")}", null),
            4 => ($"posturesense/v2/fuzz-1/{suffix}", null),
            _ => (RandomPath(pcg), null),
        };
        return new(index, topic, payload, "topic", intended);
    }

    static string RandomPath(PCG pcg)
    {
        const string alphabet = "abcxyz019-_. /äß€😀";
        var chars = new StringBuilder();
        for (var n = 1 + pcg.Below(60); n > 0; n--)
        {
            var i = pcg.Below(alphabet.Length);
            // Keep surrogate pairs whole: MQTT topics are UTF-8 text, and a lone half cannot be encoded.
            if (char.IsHighSurrogate(alphabet[i])) chars.Append(alphabet, i, 2);
            else if (!char.IsLowSurrogate(alphabet[i])) chars.Append(alphabet[i]);
        }
        return chars.Length == 0 ? "x" : chars.ToString();
    }

    static void Shuffle<T>(PCG pcg, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = pcg.Below(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
