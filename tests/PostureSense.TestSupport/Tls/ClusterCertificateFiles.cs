using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureSense.TestSupport.Tls;

/// <summary>
/// A cluster's private CA and its nodes' certificates and keys as PEM files in one directory, as
/// deploy/cluster/make-certs.sh leaves them: ca.pem, and NODE.pem with NODE.key per node.
/// </summary>
public sealed class ClusterCertificateFiles : IDisposable
{
    readonly string _dir;

    public ClusterCertificateFiles(string dir, string caName = "PostureSense cluster CA")
    {
        _dir = dir;
        Ca = TestCertificates.CreateCa(caName);
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
    }

    /// <summary>The CA, with its private key, to sign more certificates in a test.</summary>
    public X509Certificate2 Ca { get; }

    public string CaFile => Path.Combine(_dir, "ca.pem");

    /// <summary>Writes <paramref name="name"/>'s certificate (see <see cref="TestCertificates.IssueNodeCertificate"/>) and key; returns the certificate's file.</summary>
    public string AddNode(string name, string[]? usages = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = TestCertificates.IssueNodeCertificate(Ca, key, name, usages, notBefore, notAfter);
        File.WriteAllText(CertFile(name), certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile(name), key.ExportPkcs8PrivateKeyPem());
        return CertFile(name);
    }

    public string CertFile(string name) => Path.Combine(_dir, name + ".pem");

    public string KeyFile(string name) => Path.Combine(_dir, name + ".key");

    /// <summary>The server options that give node <paramref name="name"/> its certificate, key and the cluster's CA.</summary>
    public string[] Options(string name) => ["--cluster-cert", CertFile(name), "--cluster-key", KeyFile(name), "--cluster-ca", CaFile];

    public void Dispose() => Ca.Dispose();
}
