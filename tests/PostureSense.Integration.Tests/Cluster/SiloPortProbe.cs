using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace PostureSense.Integration.Tests.Cluster;

/// <summary>
/// Knocks on a silo's port as an outsider would: over TLS with or without a certificate, or in
/// plain TCP; and tells whether the silo closed the connection.
/// </summary>
static class SiloPortProbe
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Connects over TLS, showing <paramref name="certificate"/> if any, and trusting whatever the silo shows.</summary>
    /// <returns>The open stream, or null when the handshake itself was refused; and the silo's certificate.</returns>
    public static async Task<(SslStream? Stream, X509Certificate2? SiloCertificate)> TlsAsync(int port, X509Certificate2? certificate)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, Ct);
        // Whatever the silo shows is taken: the probe is the outsider here, and the caller looks at it.
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, shown, _, _) => shown is not null);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "",
                ClientCertificates = certificate is null ? null : [certificate],
                // Orleans' silos speak this protocol id; without it the silo may close before looking at the certificate.
                ApplicationProtocols = [new SslApplicationProtocol("Orleans1")],
            }, timeout.Token);
            return (tls, tls.RemoteCertificate is { } remote ? X509CertificateLoader.LoadCertificate(remote.GetRawCertData()) : null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await tls.DisposeAsync();
            return (null, null);
        }
    }

    /// <summary>Connects in plain TCP and sends what is not a TLS handshake.</summary>
    public static async Task<Stream> PlainAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET / HTTP/1.0\r\n\r\nmade-up frames for a device grain\n"u8.ToArray(), Ct);
        return stream;
    }

    /// <summary>
    /// True once the silo closed the connection (end of stream, or a reset or TLS alert); false if it
    /// still holds it open after a generous wait. What arrives before the end (a TLS alert) is skipped.
    /// </summary>
    public static async Task<bool> ClosedAsync(Stream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0) { }
            return true;
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or ObjectDisposedException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
