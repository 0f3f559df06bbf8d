using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Http;

/// <summary>
/// Refuses a request that changes something (POST, PUT, PATCH, DELETE) when a browser says it came
/// from another site: an <c>Origin</c> that is neither the server's public URL nor the address the
/// request was sent to, or <c>Sec-Fetch-Site: cross-site</c>. A request with neither header passes:
/// every current browser sends <c>Origin</c> on such a request from another page, so one without is
/// a program (the CLI, curl, a script), and the session cookie is SameSite=Lax and the forms carry
/// an antiforgery token besides.
/// </summary>
static class CrossSiteRefusal
{
    public const string Message = "refused: this request came from another site";

    public static IApplicationBuilder UseCrossSiteRefusal(this IApplicationBuilder app, ServerOptions options)
    {
        var publicOrigin = options.PublicUrl is { } url ? url.GetLeftPart(UriPartial.Authority) : null;
        return app.Use(async (http, next) =>
        {
            if (Changes(http.Request.Method) && IsCrossSite(http.Request, publicOrigin))
            {
                await RefuseAsync(http);
                return;
            }
            await next(http);
        });
    }

    static bool Changes(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    public static bool IsCrossSite(HttpRequest request, string? publicOrigin)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase)) return true;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false;
        // "null" (a sandboxed frame, a file) is never this server.
        var own = $"{request.Scheme}://{request.Host.Value}";
        return !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
               && !string.Equals(origin, publicOrigin, StringComparison.OrdinalIgnoreCase);
    }

    static Task RefuseAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        // Plain text for the forms: a page from another site's post is no place for the dashboard's look.
        return http.Request.Path.StartsWithSegments("/api")
            ? http.Response.WriteAsJsonAsync(new ErrorView(Message), Answers.Json)
            : Results.Text("This form came from another site, so it was refused. Open this server's page and try again.",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(http);
    }
}
