using System.Security.Cryptography;
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
    const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    /// <exception cref="OptionsException">A file cannot be read, is not PEM, the key does not match, or the certificate is not valid now.</exception>
    public static X509Certificate2 Load(string certFile, string keyFile, DateTimeOffset now, string certSource = "--broker-cert",
        string keySource = "--broker-key")
    {
        var certPem = Read(certFile, certSource);
        var keyPem = Read(keyFile, keySource);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certPem);
        }
        catch (CryptographicException)
        {
            throw new OptionsException($"{certSource} '{certFile}' is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        using (certificate)
        {
            if (now < certificate.NotBefore.ToUniversalTime())
                throw new OptionsException($"{certSource} '{certFile}' is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; check this machine's clock");
            if (now > certificate.NotAfter.ToUniversalTime())
                throw new OptionsException($"{certSource} '{certFile}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; make a new one (deploy/mosquitto/make-certs.sh)");
            // A client certificate given by mistake (make-certs.sh --client): devices would refuse it in every handshake.
            if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage
                && usage.EnhancedKeyUsages.Cast<Oid>().All(oid => oid.Value != ServerAuth))
                throw new OptionsException($"{certSource} '{certFile}' is not a server certificate (its extended key usage lacks serverAuth)");
        }

        if (keyPem.Contains("ENCRYPTED", StringComparison.Ordinal))
            throw new OptionsException($"{keySource} '{keyFile}' is encrypted, and the server cannot ask for its password; " +
                                       "give it the key unencrypted, readable by the server's user only");
        if (!HasPrivateKey(keyPem))
            throw new OptionsException($"{keySource} '{keyFile}' is not a PEM private key (-----BEGIN PRIVATE KEY-----)");
        try
        {
            return X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        // A key of another algorithm is a CryptographicException, one of the same but not the pair an ArgumentException.
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new OptionsException($"{keySource} '{keyFile}' is not the key of the certificate in {certSource} '{certFile}'");
        }
    }

    static bool HasPrivateKey(string pem)
    {
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].EndsWith("PRIVATE KEY", StringComparison.Ordinal)) return true;
            rest = rest[fields.Location.End..];
        }
        return false;
    }

    static string Read(string file, string source)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OptionsException($"{source} '{file}' cannot be read: {ex.Message}");
        }
    }
}
