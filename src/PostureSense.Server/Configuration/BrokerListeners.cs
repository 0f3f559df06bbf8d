using System.Net;
using System.Security.Cryptography.X509Certificates;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.Server.Configuration;

/// <summary>The embedded broker's TLS listener: where it listens (port 0 picks a free one) and the certificate it shows.</summary>
public sealed record BrokerTlsListener(IPAddress Address, int Port, X509Certificate2 Certificate);

/// <summary>
/// Where the embedded broker listens (<c>--broker-listen</c>, with <c>--broker-cert</c> and
/// <c>--broker-key</c> for TLS). Devices send their passwords in CONNECT, so a listener other
/// machines can reach must be TLS; the plain one stays on loopback, for the server's own client
/// and trials on one machine.
/// </summary>
static class BrokerListeners
{
    /// <summary>Why a plain listener may not leave loopback, named wherever one is asked for.</summary>
    public static string PlainBeyondLoopback(string what) =>
        $"{what} would let devices' passwords cross the network in clear: the plain listener stays on loopback " +
        "(127.0.0.1 or ::1); to open the broker to devices on other machines use --broker-listen mqtts://0.0.0.0:8883 " +
        "with --broker-cert and --broker-key";

    public static ServerOptions Apply(ServerOptions options, ServerSettings settings, Func<string, string> source, OptionProblems problems)
    {
        if (settings.BrokerListen is null && settings.BrokerCert is null && settings.BrokerKey is null) return options;
        if (settings.Mqtt is not null)
        {
            foreach (var (value, key) in new[] { (settings.BrokerListen, "BrokerListen"), (settings.BrokerCert, "BrokerCert"), (settings.BrokerKey, "BrokerKey") })
                if (value is not null) problems.Add($"{source(key)} applies to the embedded broker only; an external broker has its own listeners");
            return options;
        }

        (IPAddress Address, int Port)? tls = null, plain = null;
        foreach (var part in (settings.BrokerListen ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (problems.Check<(bool, IPAddress, int)?>(() => Parse(part, source("BrokerListen")), null) is not { } parsed) continue;
            var (secure, address, port) = parsed;
            if ((secure ? tls : plain) is not null)
                problems.Add($"{source("BrokerListen")} gives more than one {(secure ? "mqtts://" : "mqtt://")} listener; give one of each at most");
            else if (secure) tls = (address, port);
            else plain = (address, port);
        }
        if (plain is { } loopback)
            options = options with { EmbeddedBrokerAddress = loopback.Address, EmbeddedBrokerPort = loopback.Port };

        var hasFiles = settings.BrokerCert is not null || settings.BrokerKey is not null;
        if (tls is null)
        {
            if (hasFiles)
                problems.Add($"{source(settings.BrokerCert is null ? "BrokerKey" : "BrokerCert")} only applies to a TLS listener (--broker-listen mqtts://IP:PORT)");
            return options;
        }
        if (settings.BrokerCert is not { } certFile || settings.BrokerKey is not { } keyFile)
        {
            problems.Add($"{source("BrokerListen")} mqtts:// needs the broker's certificate and key: --broker-cert FILE and --broker-key FILE " +
                         "(PEM, as deploy/mosquitto/make-certs.sh makes them)");
            return options;
        }
        if (tls.Value.Port != 0 && tls.Value.Port == options.EmbeddedBrokerPort)
            problems.Add($"{source("BrokerListen")} puts the TLS listener on port {tls.Value.Port}, the plain listener's; give them different ports");
        var certificate = problems.Check(() => BrokerCertificate.Load(certFile, keyFile, TimeProvider.System.GetUtcNow(),
            source("BrokerCert"), source("BrokerKey")), null);
        return certificate is null ? options : options with { EmbeddedBrokerTls = new BrokerTlsListener(tls.Value.Address, tls.Value.Port, certificate) };
    }

    /// <summary>One listener: <c>mqtt://IP:PORT</c> (loopback only) or <c>mqtts://IP:PORT</c>; whether it is TLS, its address and port.</summary>
    static (bool Tls, IPAddress Address, int Port) Parse(string value, string source)
    {
        const string Form = "mqtts://IP:PORT (or a loopback mqtt://127.0.0.1:PORT)";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts"))
            throw new OptionsException($"{source} '{value}' is not an mqtts:// or mqtt:// URL; use {Form}");
        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            throw new OptionsException($"{source} '{value}' has a path, query or user; use {Form}");
        // An explicit address, not a host name: a name could resolve to an interface the operator did not mean to open.
        var address = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
            : throw new OptionsException($"{source} '{value}' names host '{uri.Host}'; use an IP address such as 0.0.0.0");
        var tls = uri.Scheme == "mqtts";
        if (!tls && !IPAddress.IsLoopback(address))
            throw new OptionsException(PlainBeyondLoopback($"{source} '{value}'"));
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? MqttBrokerAddress.DefaultTlsPort : MqttBrokerAddress.DefaultPort) : uri.Port;
        return (tls, address, port);
    }
}
