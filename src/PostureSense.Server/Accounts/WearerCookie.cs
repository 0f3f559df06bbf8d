using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Accounts;
using PostureSense.Server.Configuration;
using PostureSense.Server.Http;

namespace PostureSense.Server.Accounts;

/// <summary>
/// The session cookie: HTTP only, SameSite=Lax (a form on another site cannot act as the wearer;
/// Strict would sign the wearer out of every link into the dashboard, such as a notification's),
/// Secure whenever the public URL is https (behind a TLS proxy the server itself sees plain
/// HTTP), 30 days, renewed while used. Every request checks the session against the account's
/// security stamp, so a password change, a reset or "sign out everywhere" ends it at once.
/// Pages without a session go to the sign-in page; the API answers 401 (no session) or 403
/// instead of redirecting.
/// </summary>
static class WearerCookie
{
    public const string Name = "posturesense";

    public static void Configure(CookieAuthenticationOptions options, ServerOptions server)
    {
        options.Cookie.Name = Name;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = SecurePolicy(server);
        options.Events.OnValidatePrincipal = ValidateAsync;
        options.ExpireTimeSpan = TimeSpan.FromDays(30);
        options.SlidingExpiration = true;
        options.LoginPath = "/login";
        options.LogoutPath = "/logout";
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized, "sign in first");
        options.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden, "not allowed");
    }

    /// <summary>Always Secure when wearers reach the server over https, whatever the proxy hands on.</summary>
    public static CookieSecurePolicy SecurePolicy(ServerOptions server) =>
        server.PublicUrl?.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>A session of an account that is gone, or signed with a stamp the account no longer has, has ended.</summary>
    static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.WearerId() is not { } id) return;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        var security = await accounts.SecurityOfAsync(id, context.HttpContext.RequestAborted);
        if (security is not null && string.Equals(security.Stamp, context.Principal.Stamp(), StringComparison.Ordinal)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    static Task Answer(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status, string message)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorView(message), Answers.Json);
    }
}
