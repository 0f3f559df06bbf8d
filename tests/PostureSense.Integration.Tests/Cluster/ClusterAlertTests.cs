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
    internal const string Device = "alert-desk";
    internal const string Wearer = "wearer@example.org";
    const string Other = "other@example.org";
    const string Password = "a long enough password";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_alert_reaches_the_wearers_page_on_the_node_that_did_not_decide_it()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(Device, path => CreateAccountsAsync(path, Device), Ct);
        await AlertCrossesNodesAsync(cluster);
    }

    /// <summary>
    /// The wearer's pages on both nodes get the prompt whichever node decided it; the other wearer's
    /// pages stay silent. The cluster runs <see cref="Device"/>, with <see cref="CreateAccountsAsync"/>'s accounts.
    /// </summary>
    internal static async Task AlertCrossesNodesAsync(TwoNodeCluster cluster)
    {
        using var wearerOnA = await SignInAsync(cluster.A, Wearer);
        using var wearerOnB = await SignInAsync(cluster.B, Wearer);
        using var otherOnA = await SignInAsync(cluster.A, Other);
        using var otherOnB = await SignInAsync(cluster.B, Other);
        await using var pageOnA = await EventStream.OpenAsync(wearerOnA);
        await using var pageOnB = await EventStream.OpenAsync(wearerOnB);
        await using var otherPageOnA = await EventStream.OpenAsync(otherOnA);
        await using var otherPageOnB = await EventStream.OpenAsync(otherOnB);

        await cluster.PublishHunchAsync(TimeSpan.FromMinutes(6));
        var command = await cluster.NextPromptAsync("hunch", TimeSpan.FromSeconds(30), Ct);

        foreach (var (node, page) in new[] { ("a", pageOnA), ("b", pageOnB) })
        {
            var (name, id, alert) = await page.NextAsync($"the alert on node {node}{cluster.Logs}");
            Assert.Equal(("prompt", command.Id, Device), (name, id, alert.GetProperty("deviceId").GetString()));
            Assert.Equal("Time for a stretch", alert.GetProperty("title").GetString());
        }
        // Both of the wearer's pages have it, from whichever node: a leak to the other wearer would be here by now.
        Assert.False(otherPageOnA.HasEvent || otherPageOnB.HasEvent, "another wearer's page got the alert");
    }

    /// <summary>The wearer owns the device; the other wearer owns nothing. Made before the nodes start, as an operator would.</summary>
    internal static async Task CreateAccountsAsync(string path, string device)
    {
        await using var db = await AppDatabase.OpenAsync(path, Ct);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, NullLogger<AccountService>.Instance, Ct);
        var wearer = (await accounts.SignUpAsync(Wearer, Password, Ct)).Wearer!;
        Assert.NotNull((await accounts.SignUpAsync(Other, Password, Ct)).Wearer);
        await accounts.Devices.ProvisionAsync(DeviceId.Parse(device), cancellationToken: Ct);
        Assert.True((await accounts.AssignAsync(wearer.Id, device, Ct)).Succeeded);
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

        public async Task<(string Event, string Id, JsonElement Data)> NextAsync(string what, TimeSpan? within = null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(within ?? TimeSpan.FromSeconds(15));
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
