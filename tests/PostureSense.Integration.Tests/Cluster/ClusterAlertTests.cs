using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Accounts;
using PostureSense.Core.Contract;
using PostureSense.Integration.Tests.Broker;
using PostureSense.Integration.Tests.Ingestion;
using PostureSense.TestSupport.Server;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Two server nodes sharing one app database, one broker share group, one InfluxDB and a cluster:
/// the wearer has the dashboard open on both, and the prompt their device's grain decides on one
/// node shows on both pages, so whichever node decided, an alert crossed to the other. Another
/// wearer's pages, on either node, stay silent.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class ClusterAlertTests
{
    const string Device = "alert-desk";
    const string DevicePassword = "device-pw";
    const string ServerUser = "posturesense-server";
    const string ServerPassword = "server-pw";
    const string Wearer = "wearer@example.org";
    const string Other = "other@example.org";
    const string Password = "a long enough password";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_alert_reaches_the_wearers_page_on_the_node_that_did_not_decide_it()
    {
        var users = new Dictionary<string, string> { [Device] = DevicePassword, [ServerUser] = ServerPassword };
        await using var redis = await RedisServer.StartAsync(Ct);
        await using var broker = await MosquittoServer.StartAsync(users, cancellationToken: Ct);
        await using var influx = await InfluxDbServer.StartAsync("posturesense", cancellationToken: Ct);
        using var appDir = new TempDirectory();
        var appDb = appDir.File("app.db");
        await CreateAccountsAsync(appDb);
        var mqtt = $"mqtt://{ServerUser}:{ServerPassword}@127.0.0.1:{broker.Port}";
        var store = $"influxdb://127.0.0.1:{influx.HttpPort}/posturesense";

        // Both on the one app database, started together.
        var starting = new[] { "a", "b" }.Select(name => PostureServerProcess.StartAsync(mqtt, store, Ct,
            "--mqtt-share", "ingest", "--mqtt-client-id", $"posturesense-server-{name}", "--cluster", redis.Url, "--app-db", appDb)).ToList();
        PostureServerProcess[] nodes;
        try
        {
            nodes = await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) await (await node).DisposeAsync();
            throw;
        }
        await using var a = nodes[0];
        await using var b = nodes[1];

        using var wearerOnA = await SignInAsync(a, Wearer);
        using var wearerOnB = await SignInAsync(b, Wearer);
        using var otherOnA = await SignInAsync(a, Other);
        using var otherOnB = await SignInAsync(b, Other);
        await using var pageOnA = await EventStream.OpenAsync(wearerOnA);
        await using var pageOnB = await EventStream.OpenAsync(wearerOnB);
        await using var otherPageOnA = await EventStream.OpenAsync(otherOnA);
        await using var otherPageOnB = await EventStream.OpenAsync(otherOnB);

        await using var device = await MqttTestClient.ConnectAsync(broker, Device, DevicePassword);
        var commandTopic = Topics.For(DeviceId.Parse(Device), Topics.Command);
        var commands = Channel.CreateUnbounded<DeviceCommand>();
        device.Client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == commandTopic)
                commands.Writer.TryWrite(WireFormat.ParseCommand(e.ApplicationMessage.Payload.ToArray(), DateTimeOffset.UtcNow).Value!);
            return Task.CompletedTask;
        };
        Assert.True((int)await device.SubscribeAsync(commandTopic) <= 2, "the device may read its commands");

        // Six minutes hunched, ending now, in batches the broker hands round robin to the two nodes.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        var telemetry = Topics.For(DeviceId.Parse(Device), Topics.Telemetry);
        var seq = 0L;
        foreach (var batch in TestFrames.Run(now - 6 * 60_000, 6 * 60, pitch: 30).Batches(30))
            await device.PublishAsync(telemetry, Encoding.UTF8.GetString(TestFrames.Batch(++seq, batch)));

        using var waitForPrompt = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        waitForPrompt.CancelAfter(TimeSpan.FromSeconds(30));
        var command = await commands.Reader.ReadAsync(waitForPrompt.Token);
        Assert.Equal((DeviceCommand.Types.Stretch, "hunch"), (command.Type, command.Reason));

        var logs = $"\n--- node a:\n{a.Output}\n--- node b:\n{b.Output}";
        foreach (var (node, page) in new[] { ("a", pageOnA), ("b", pageOnB) })
        {
            var (name, id, alert) = await page.NextAsync($"the alert on node {node}{logs}");
            Assert.Equal(("prompt", command.Id, Device), (name, id, alert.GetProperty("deviceId").GetString()));
            Assert.Equal("Time for a stretch", alert.GetProperty("title").GetString());
        }
        // Both of the wearer's pages have it, from whichever node: a leak to the other wearer would be here by now.
        Assert.False(otherPageOnA.HasEvent || otherPageOnB.HasEvent, "another wearer's page got the alert");
    }

    /// <summary>The wearer owns the device; the other wearer owns nothing. Made before the nodes start, as an operator would.</summary>
    static async Task CreateAccountsAsync(string path)
    {
        await using var db = await AppDatabase.OpenAsync(path, Ct);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, NullLogger<AccountService>.Instance, Ct);
        var wearer = (await accounts.SignUpAsync(Wearer, Password, Ct)).Wearer!;
        Assert.NotNull((await accounts.SignUpAsync(Other, Password, Ct)).Wearer);
        await accounts.Devices.ProvisionAsync(DeviceId.Parse(Device), cancellationToken: Ct);
        Assert.True((await accounts.AssignAsync(wearer.Id, Device, Ct)).Succeeded);
    }

    internal static async Task<HttpClient> SignInAsync(PostureServerProcess node, string email)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = node.HttpUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        using var login = await http.PostAsJsonAsync("/api/account/login", new { email, password = Password }, Ct);
        login.EnsureSuccessStatusCode();
        return http;
    }

    /// <summary>The dashboard's alert stream (server-sent events), read in the background.</summary>
    internal sealed class EventStream : IAsyncDisposable
    {
        readonly HttpResponseMessage _response;
        readonly CancellationTokenSource _stop = new();
        readonly Channel<(string Event, string Id, JsonElement Data)> _events = Channel.CreateUnbounded<(string, string, JsonElement)>();
        readonly Task _reader;

        EventStream(HttpResponseMessage response)
        {
            _response = response;
            _reader = Task.Run(ReadAsync);
        }

        public bool HasEvent => _events.Reader.Count > 0;

        /// <summary>Open once the headers came: the server subscribes the page before it sends them.</summary>
        public static async Task<EventStream> OpenAsync(HttpClient client)
        {
            var response = await client.GetAsync("/api/alerts/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new EventStream(response);
        }

        public async Task<(string Event, string Id, JsonElement Data)> NextAsync(string what)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                return await _events.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"timed out waiting for {what}");
                throw;
            }
        }

        async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
                string name = "", id = "", data = "";
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                    else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
                    else if (line.Length == 0 && data.Length > 0)
                    {
                        _events.Writer.TryWrite((name, id, JsonDocument.Parse(data).RootElement.Clone()));
                        (name, id, data) = ("", "", "");
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException) { }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response.Dispose();
            await _reader;
            _stop.Dispose();
        }
    }
}
