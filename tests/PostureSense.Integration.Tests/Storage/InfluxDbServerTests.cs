using System.Net;
using System.Text;
using System.Text.Json;

namespace PostureSense.Integration.Tests.Storage;

public sealed class InfluxDbServerTests
{
    const string Frames = """
        posture,device=desk-a pitch=24.6,roll=-3.1,motion=0.012,steps=0i 1795478400000
        posture,device=desk-a pitch=25.1,roll=-2.9,motion=0.01,steps=0i 1795478401000
        """;

    [Fact]
    public async Task Accepts_line_protocol_and_returns_it_from_a_select()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxDbServer.StartAsync("posturesense_test", cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = influx.HttpUrl, Timeout = TimeSpan.FromSeconds(10) };

        using var body = new StringContent(Frames, Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync("write?db=posturesense_test&precision=ms", body, ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        // The same frame again: (device, ts) identifies a point, so it replaces instead of doubling.
        await influx.WriteAsync(Frames.Split('\n')[0], cancellationToken: ct);

        Assert.Equal([(1795478400000L, 24.6), (1795478401000L, 25.1)], await PitchesAsync(influx, ct));
    }

    [Fact]
    public async Task Stop_and_restart_keep_the_data_and_the_address()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var influx = await InfluxDbServer.StartAsync(cancellationToken: ct);
        await influx.WriteAsync(Frames, cancellationToken: ct);
        var url = influx.HttpUrl;

        await influx.StopAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => influx.WriteAsync(Frames, cancellationToken: ct));

        await influx.RestartAsync(ct);
        Assert.Equal(url, influx.HttpUrl);
        Assert.Equal([(1795478400000L, 24.6), (1795478401000L, 25.1)], await PitchesAsync(influx, ct));
    }

    static async Task<List<(long Ts, double Pitch)>> PitchesAsync(InfluxDbServer influx, CancellationToken ct)
    {
        using var answer = await influx.QueryAsync("SELECT pitch FROM posture WHERE device = 'desk-a'", ct);
        var series = answer.RootElement.GetProperty("results")[0].GetProperty("series")[0];
        return series.GetProperty("values").EnumerateArray()
            .Select(row => (row[0].GetInt64(), row[1].GetDouble()))
            .ToList();
    }
}
