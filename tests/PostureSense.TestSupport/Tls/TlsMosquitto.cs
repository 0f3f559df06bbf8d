using System.Security.Cryptography;
using PostureSense.TestSupport.Servers;

namespace PostureSense.TestSupport.Tls;

/// <summary>
/// mosquitto as a broker reachable from the internet is set up: a TLS listener whose certificate a
/// private CA signed, and a password file. <see cref="CaFile"/> is that CA; <see cref="OtherCaFile"/>
/// is somebody else's, which must not be trusted for it.
/// </summary>
public sealed class TlsMosquitto : IAsyncDisposable
{
    readonly string _dir;

    TlsMosquitto(string dir, MosquittoServer broker)
    {
        _dir = dir;
        Broker = broker;
    }

    public MosquittoServer Broker { get; }
    public string CaFile => Path.Combine(_dir, "ca.pem");
    public string OtherCaFile => Path.Combine(_dir, "other-ca.pem");

    public static async Task<TlsMosquitto> StartAsync(IReadOnlyDictionary<string, string> users, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("posturesense-tls-").FullName;
        using var ca = TestCertificates.CreateCa("PostureSense test CA");
        using var other = TestCertificates.CreateCa("Somebody else's CA");
        await File.WriteAllTextAsync(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "other-ca.pem"), other.ExportCertificatePem(), cancellationToken);
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = TestCertificates.IssueServerCertificate(ca, serverKey);
        await File.WriteAllTextAsync(Path.Combine(dir, "broker.pem"), server.ExportCertificatePem(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "broker.key"), serverKey.ExportPkcs8PrivateKeyPem(), cancellationToken);
        var config = Path.Combine(dir, "mosquitto-tls.conf");
        await File.WriteAllLinesAsync(config,
        [
            "per_listener_settings false",
            "listener 8883",
            $"certfile {Path.Combine(dir, "broker.pem")}",
            $"keyfile {Path.Combine(dir, "broker.key")}",
            "allow_anonymous false",
            "password_file passwd",
            "persistence false",
            "connection_messages true",
        ], cancellationToken);
        return new TlsMosquitto(dir, await MosquittoServer.StartAsync(users, config, cancellationToken: cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
