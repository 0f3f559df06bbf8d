using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using PostureSense.Core.Configuration;

namespace PostureSense.Mqtt.Tls;

/// <summary>
/// Whether to trust the broker's TLS certificate: the system's CAs, plus the CA certificate given
/// with <c>--mqtt-ca</c> (or the program's equivalent) for a broker with a private one. The host
/// name must always match.
/// Remembers why it refused, because the TLS stack only reports that the callback said no.
/// </summary>
public sealed class BrokerTrust
{
    readonly X509Certificate2Collection? _ca;
    readonly string _caSource;
    string? _refusal;

    /// <param name="ca">CA certificates to trust besides the system's; null: the system's only.</param>
    /// <param name="caSource">Where the operator gives the CA certificate, named when a certificate is refused.</param>
    public BrokerTrust(X509Certificate2Collection? ca, string caSource = "--mqtt-ca")
    {
        _ca = ca is { Count: > 0 } ? ca : null;
        _caSource = caSource;
    }

    /// <summary>Reads the CA certificate(s) of a PEM file (or one DER certificate).</summary>
    /// <exception cref="OptionsException">The file cannot be read or holds no certificate.</exception>
    public static X509Certificate2Collection LoadCa(string path, string source = "--mqtt-ca")
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            if (certificates.Count == 0) certificates.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            return certificates;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"{source} '{path}' cannot be read: {ex.Message}");
        }
        catch (CryptographicException ex)
        {
            throw new OptionsException($"{source} '{path}' is not a PEM or DER certificate: {ex.Message}");
        }
    }

    /// <summary>Why the last certificate was refused, once; null if it was not.</summary>
    public string? TakeRefusal() => Interlocked.Exchange(ref _refusal, null);

    /// <summary>The MQTTnet validation callback.</summary>
    public bool Validate(MqttClientCertificateValidationEventArgs e)
    {
        var refusal = Check(e.Certificate, e.Chain, e.SslPolicyErrors);
        Volatile.Write(ref _refusal, refusal);
        return refusal is null;
    }

    string? Check(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return null;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return "the broker sent no certificate";
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"the broker's certificate ({presented.Subject}) is not for the host in the URL";
        if (_ca is null)
            return $"the broker's certificate ({presented.Subject}, issued by {presented.Issuer}) is not trusted by this system: " +
                $"{PrivateCa.Describe(chain)}; give its CA certificate with {_caSource}";

        return PrivateCa.Refusal(presented, _ca, chain) is { } why
            ? $"the broker's certificate ({presented.Subject}, issued by {presented.Issuer}) is not signed by the CA in {_caSource}: {why}"
            : null;
    }
}
