using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using PostureSense.Mqtt.Tls;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Cluster;

/// <summary>
/// Which other silos this node talks to, in both directions: only those whose certificate the
/// cluster's own CA signed and that is valid now. The system's CAs count for nothing here: a
/// certificate any public CA issued would otherwise be a way in.
/// </summary>
public sealed partial class SiloTrust(X509Certificate2Collection ca, ILogger<SiloTrust> log)
{
    /// <summary>The TLS validation callback, for a node that dials this one and for one this node dials.</summary>
    /// <param name="errors">The platform's view, which trusts the system's CAs and checks names: set aside for the cluster's own check.</param>
    public bool Accepts(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // Names are not checked: nodes dial each other by the IP address each advertises
        // (--cluster-listen), not by a name a certificate could carry, and a node's identity is
        // that the cluster's CA signed its certificate.
        var why = PrivateCa.Refusal(certificate, ca, chain, CertificateRole.ServerAuth, CertificateRole.ClientAuth);
        if (why is null) return true;
        Refused(log, certificate.Subject, certificate.Issuer, why);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a silo connection: the certificate {Subject} (issued by {Issuer}) is not one of this cluster's: {Reason}")]
    static partial void Refused(ILogger logger, string subject, string issuer, string reason);
}
