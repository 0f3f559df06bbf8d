using System.Net;

namespace PostureSense.TestSupport.Server;

/// <summary>
/// Keeps a client's cookies the way a browser behind a TLS-terminating proxy does: a Secure cookie
/// (the server's answer when its public URL is https) is still sent to the test's plain-HTTP server.
/// </summary>
sealed class ProxiedCookies() : DelegatingHandler(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
{
    readonly CookieContainer _jar = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var asHttps = AsHttps(request.RequestUri!);
        var cookies = _jar.GetCookieHeader(asHttps);
        if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set) _jar.SetCookies(asHttps, cookie);
        return response;
    }

    static Uri AsHttps(Uri uri) => new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri;
}
