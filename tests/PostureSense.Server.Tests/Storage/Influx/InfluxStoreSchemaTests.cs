using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage;
using PostureSense.Storage.Influx;

namespace PostureSense.Server.Tests.Storage.Influx;

/// <summary>The lines <see cref="InfluxStore"/> writes and the queries it asks, pinned against a scripted server.</summary>
public sealed class InfluxStoreSchemaTests
{
    const long T0 = 1_795_478_400_000;
    const string NoSeries = """{"results":[{"statement_id":0}]}""";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<(ScriptedHttpServer Server, InfluxStore Store)> OpenAsync(string knownDevices = NoSeries)
    {
        var server = await ScriptedHttpServer.StartAsync(ScriptedReply.NoContent, new ScriptedReply(200, knownDevices));
        var store = await InfluxStore.OpenAsync(InfluxEndpoint.Parse($"influxdb://{server.Url.Authority}/posture"),
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 500)), cancellationToken: Ct);
        return (server, store);
    }

    [Fact(Timeout = 30_000)]
    public async Task Open_pings_then_loads_the_known_devices()
    {
        var (server, store) = await OpenAsync();
        await using var _ = server;
        await using var __ = store;

        Assert.Equal(["/ping", "/query?db=posture&epoch=ms&q=SHOW%20TAG%20VALUES%20FROM%20%22device%22%20WITH%20KEY%20%3D%20%22device%22"],
            server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_batch_becomes_one_request_of_schema_lines_with_one_device_point_per_new_device()
    {
        var (server, store) = await OpenAsync("""{"results":[{"statement_id":0,"series":[{"name":"device","columns":["key","value"],"values":[["device","desk-2"]]}]}]}""");
        await using var _ = server;
        await using var __ = store;

        await store.WriteBatchAsync([
            new FramesWrite(DeviceId.Parse("desk-1"), [new PostureFrame(T0, 24.5, -3.25, 0.012, 2)]),
            new StatusWrite(DeviceId.Parse("desk-1"), new DeviceStatus(1, true, "1.0.0", true, T0 - 5), T0 + 100),
            new AckWrite(new AckRecord(DeviceId.Parse("desk-2"), "c-1", "done", T0 + 200)),
            new AckWrite(new AckRecord(DeviceId.Parse("desk-2"), "two\nlines", "received", T0 + 300)),
        ], Ct);
        await store.WritePromptAsync(new PromptRecord(DeviceId.Parse("desk-1"), "c-9", T0 + 400, PromptReason.Hunch, "cat-cow", "double", T0 - 60_000), Ct);

        var writes = server.Writes;
        Assert.Equal(2, writes.Count);
        Assert.Equal($"""
            device,device=desk-1 first_seen={T0 + 500}i {T0 + 500}
            posture,device=desk-1 pitch=24.5,roll=-3.25,motion=0.012,steps=2i {T0}
            status,device=desk-1 online=true,fw="1.0.0",calibrated=true,status_ts={T0 - 5}i {T0 + 100}
            ack,command=c-1,device=desk-2,status=done command_id="c-1" {T0 + 200}
            ack,device=desk-2,status=received command_id="two
            lines" {T0 + 300}

            """.ReplaceLineEndings("\n"), writes[0].Body);
        // desk-1 is known once its first batch is stored: no second device point.
        Assert.Equal($"prompt,device=desk-1,reason=hunch command_id=\"c-9\",exercise=\"cat-cow\",pattern=\"double\",episode_start={T0 - 60_000}i {T0 + 400}\n",
            writes[1].Body);
        Assert.Equal(1, store.UntaggedAcks);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_database_at_open_is_a_one_line_options_error_with_the_fix()
    {
        await using var server = await ScriptedHttpServer.StartAsync(ScriptedReply.NoContent,
            new ScriptedReply(200, """{"results":[{"statement_id":0,"error":"database not found: posture"}]}"""));

        var error = await Assert.ThrowsAsync<OptionsException>(() =>
            InfluxStore.OpenAsync(InfluxEndpoint.Parse($"influxdb://{server.Url.Authority}/posture"), cancellationToken: Ct));

        Assert.Contains("CREATE DATABASE", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Reads_send_escaped_influxql_with_the_token_and_parse_the_rows()
    {
        await using var server = await ScriptedHttpServer.StartAsync(ScriptedReply.NoContent, new ScriptedReply(200, NoSeries),
            new ScriptedReply(200, $$"""{"results":[{"statement_id":0,"series":[{"name":"posture","columns":["time","pitch","roll","motion","steps"],"values":[[{{T0}},24.5,-3,0.01,1],[{{T0 + 1000}},25,-2.5,0,0]]}]}]}"""));
        await using var store = await InfluxStore.OpenAsync(
            InfluxEndpoint.Parse($"influxdb2://{server.Url.Authority}/?org=o&bucket=b&token=t0k"), cancellationToken: Ct);

        // A device id can no longer hold a quote; InfluxQlTests shows quotes in a literal escaped.
        var frames = await store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 2000, Ct);

        Assert.Equal([new PostureFrame(T0, 24.5, -3, 0.01, 1), new PostureFrame(T0 + 1000, 25, -2.5, 0, 0)], frames);
        var query = server.Requests.Last();
        Assert.Equal("Token t0k", query.Authorization);
        Assert.Contains(Uri.EscapeDataString($"SELECT pitch, roll, motion, steps FROM posture WHERE device = 'desk-1' AND time >= {T0}ms AND time < {T0 + 2000}ms"),
            query.PathAndQuery);
    }
}
