using System.Security.Cryptography.X509Certificates;
using PostureSense.Core.Configuration;

namespace PostureSense.Server.Configuration;

/// <summary>
/// The embedded broker's TLS certificate and key, PEM files as <c>deploy/mosquitto/make-certs.sh</c>
/// makes them (<c>--broker-cert</c>, <c>--broker-key</c>). Checked when the options are read, so a
/// wrong file stops the server with one line instead of every device failing its handshake later.
/// </summary>
public static class BrokerCertificate
{
    // A client certificate given by mistake (make-certs.sh --client): devices would refuse it in every handshake.
    static readonly CertificateRole Role = new("a server certificate", [(CertificateRole.ServerAuth, "serverAuth")], "deploy/mosquitto/make-certs.sh");

    /// <exception cref="OptionsException">A file cannot be read, is not PEM, the key does not match, or the certificate is not valid now.</exception>
    public static X509Certificate2 Load(string certFile, string keyFile, DateTimeOffset now, string certSource = "--broker-cert",
        string keySource = "--broker-key") =>
        PemCertificate.Load(certFile, keyFile, now, certSource, keySource, Role);
}
