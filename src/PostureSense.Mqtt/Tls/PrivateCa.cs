using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureSense.Mqtt.Tls;

/// <summary>
/// Trust in a private CA alone: a certificate is good when it chains to one of the CA certificates
/// given and is valid now, whatever the system's CAs say.
/// </summary>
public static class PrivateCa
{
    /// <summary>Why <paramref name="certificate"/> does not chain to <paramref name="ca"/>; null when it does.</summary>
    /// <param name="sent">The chain the other side sent, for any intermediate certificates in it; never trusted for itself.</param>
    /// <param name="usages">Extended key usages (OIDs) the certificate must allow.</param>
    public static string? Refusal(X509Certificate2 certificate, X509Certificate2Collection ca, X509Chain? sent = null, params string[] usages)
    {
        using var ours = new X509Chain();
        ours.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        ours.ChainPolicy.CustomTrustStore.AddRange(ca);
        // A private CA rarely publishes revocation lists; the trust is in holding its certificate.
        ours.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var usage in usages) ours.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        if (sent is not null)
            foreach (var element in sent.ChainElements) ours.ChainPolicy.ExtraStore.Add(element.Certificate);
        return ours.Build(certificate) ? null : Describe(ours);
    }

    /// <summary>Why a chain failed, as the platform words it.</summary>
    public static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim().TrimEnd('.')).Where(s => s.Length > 0).Distinct());
}
