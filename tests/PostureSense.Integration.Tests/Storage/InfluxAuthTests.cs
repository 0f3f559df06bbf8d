using PostureSense.Core.Contract;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Core.Configuration;
using PostureSense.Core.Posture;
using PostureSense.Hosting.Options;
using PostureSense.Server;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

namespace PostureSense.Integration.Tests.Storage;

/// <summary>
/// InfluxDB 1.x with auth on, as deploy/ ships it: the server logs in as its own user with the
/// password from the environment, and a wrong password stops it at start with a line that names
/// the store but not the password.
/// </summary>
public sealed class InfluxAuthTests : IAsyncLifetime
{
    const long T0 = 1_795_478_400_000;
    const string ServerUser = "posturesense-server";
    const string ServerPassword = "writer-s3cret";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 3_600_000));
    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-influx-auth-").FullName;
    InfluxDbServer _influx = null!;

    public async ValueTask InitializeAsync()
    {
        _influx = await InfluxDbServer.StartAsync("posturesense", new InfluxAdmin("admin", "admin-s3cret"), Ct);
        await _influx.CreateUserAsync(ServerUser, ServerPassword, "ALL", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_influx is not null) await _influx.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The server's options as the compose file sets them: the user in the URL, the password apart.</summary>
    ServerOptions Options(string password) => ServerOptionsLoader.FromConfiguration(ServerOptionsLoader.Build(
        ["--http", "http://127.0.0.1:0", "--management", "http://127.0.0.1:0", "--app-db", Path.Combine(_dir, "app.db")],
        new SettingsSources
        {
            AppSettingsDirectories = [],
            Environment = name => name switch
            {
                "POSTURESENSE_STORE" => $"influxdb://{ServerUser}@127.0.0.1:{_influx.HttpPort}/{_influx.Database}",
                "POSTURESENSE_STORE_PASSWORD" => password,
                _ => null,
            },
        }));

    [Fact(Timeout = 60_000)]
    public async Task Without_credentials_influxdb_refuses_writes()
    {
        using var anonymous = new HttpClient { BaseAddress = _influx.HttpUrl };
        using var response = await anonymous.PostAsync($"write?db={_influx.Database}", new StringContent("posture,device=x pitch=1 1"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task With_its_password_from_the_environment_the_server_writes_and_reads_back()
    {
        await using var store = await PostureStores.OpenAsync(Options(ServerPassword).Store, _clock, cancellationToken: Ct);
        var frames = Enumerable.Range(0, 5).Select(i => new PostureFrame(T0 + i * 1000L, 20 + i, -1, 0.01, 0)).ToList();

        await store.WriteFramesAsync(DeviceId.Parse("desk-1"), frames, Ct);

        Assert.Equal(frames, await store.ReadFramesAsync(DeviceId.Parse("desk-1"), T0, T0 + 10_000, Ct));
        using var stored = await _influx.QueryAsync("SELECT count(pitch) FROM posture", Ct);
        Assert.Contains("[0,5]", stored.RootElement.GetRawText());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_password_stops_the_server_at_start_naming_the_store_not_the_password()
    {
        var options = Options("not-the-password");
        await using var server = new PostureServer(options, _clock);

        var error = await Assert.ThrowsAsync<OptionsException>(() => server.StartAsync(Ct));

        Assert.Contains($"InfluxDB at influxdb://{ServerUser}@127.0.0.1:{_influx.HttpPort}/{_influx.Database} refused the credentials", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
        Assert.DoesNotContain("not-the-password", options.Store.ToString());
    }
}
