using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Http;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, believed only from the proxies the
/// operator names (<c>--trust-proxy</c>): anyone else could claim any address or https with them.
/// </summary>
static class ProxyHeaders
{
    public static void Configure(IServiceCollection services, ServerOptions options)
    {
        if (options.TrustedProxies.Count == 0) return;
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies) forwarded.KnownProxies.Add(proxy);
        });
    }

    public static void Use(IApplicationBuilder app, ServerOptions options)
    {
        if (options.TrustedProxies.Count > 0) app.UseForwardedHeaders();
    }
}
