using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureSense.Core.Configuration;

namespace PostureSense.Server.Configuration;

/// <summary>What a certificate is for: named in errors, the key usages it needs, and the script that makes a right one.</summary>
/// <param name="Name">Such as "a server certificate".</param>
/// <param name="Usages">Extended key usages it must allow, by OID and name; a certificate without the extension allows all.</param>
/// <param name="Maker">The script that makes one, named when a certificate has expired.</param>
/// <param name="Hint">Said after a missing usage.</param>
public sealed record CertificateRole(string Name, IReadOnlyList<(string Oid, string Name)> Usages, string Maker, string Hint = "")
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
}

/// <summary>
/// A certificate and its unencrypted private key from PEM files, checked when the options are read
/// (readable, PEM, the pair, valid now, usable for its role), so that a wrong file stops the server
/// with one line naming the option instead of every handshake failing later.
/// </summary>
public static class PemCertificate
{
    /// <exception cref="OptionsException">A file cannot be read, is not PEM, the key does not match, or the certificate is not valid now or not for its role.</exception>
    public static X509Certificate2 Load(string certFile, string keyFile, DateTimeOffset now, string certSource, string keySource, CertificateRole role)
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
                throw new OptionsException($"{certSource} '{certFile}' expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; make a new one ({role.Maker})");
            // A certificate made for another role: the other side would refuse it in every handshake.
            if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage)
            {
                var allowed = usage.EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.Value).ToHashSet();
                var missing = role.Usages.Where(u => !allowed.Contains(u.Oid)).Select(u => u.Name).ToList();
                if (missing.Count > 0)
                    throw new OptionsException($"{certSource} '{certFile}' is not {role.Name} (its extended key usage lacks {string.Join(" and ", missing)}){role.Hint}");
            }
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
