using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using PostureSense.Server.Http;

namespace PostureSense.Server.Accounts;

/// <summary>
/// The session cookie: HTTP only, SameSite=Lax (a form on another site cannot act as the wearer),
/// 30 days, renewed while used. Pages without a session go to the sign-in page; the API answers
/// 401 (no session) or 403 instead of redirecting.
/// </summary>
static class WearerCookie
{
    public const string Name = "posturesense";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = Name;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromDays(30);
        options.SlidingExpiration = true;
        options.LoginPath = "/login";
        options.LogoutPath = "/logout";
        options.ReturnUrlParameter = "returnUrl";
        options.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized, "sign in first");
        options.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden, "not allowed");
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
