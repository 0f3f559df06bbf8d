using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using static PostureSense.Server.SignIn.Html;

namespace PostureSense.Server.SignIn;

/// <summary><c>GET /login</c>: sign in, or make an account where sign-up is open.</summary>
static class LoginPage
{
    /// <param name="email">What the wearer typed into the sign-in form, kept after a wrong password.</param>
    /// <param name="newEmail">What they typed into the sign-up form, kept after a refused sign-up.</param>
    /// <summary>Shown after every sign-up alike: whether the email was new must not show (no account oracle).</summary>
    public const string SignedUp = "Thank you. Sign in with the email and password you chose. " +
                                   "If that email already had an account here, its password is unchanged.";

    public static ContentHttpResult Render(HttpContext http, string? returnUrl, string? error, bool signUpOpen, int status = StatusCodes.Status200OK,
        string? email = null, string? newEmail = null, string? notice = null)
    {
        var back = E(SafeReturn(returnUrl));
        var token = FormToken.Field(http);
        var body = new StringBuilder("<h1>Sign in</h1>");
        if (error is not null) body.Append("<p class=\"problem\" role=\"alert\">").Append(E(error)).Append("</p>");
        if (notice is not null) body.Append("<p role=\"status\" data-testid=\"notice\">").Append(E(notice)).Append("</p>");
        body.Append("<form method=\"post\" action=\"/login\">").Append(token).Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(back).Append("\">")
            .Append("<p><label>Email <input name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"").Append(E(email ?? "")).Append("\"></label></p>")
            .Append("<p><label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>")
            .Append("<p><button type=\"submit\">Sign in</button></p></form>");
        if (signUpOpen)
            body.Append("<h2>New here?</h2><form method=\"post\" action=\"/signup\">").Append(token)
                .Append("<p><label>Email <input name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"").Append(E(newEmail ?? "")).Append("\"></label></p>")
                .Append("<p><label>Password (8 characters or more) <input name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"8\" required></label></p>")
                .Append("<p><button type=\"submit\">Make an account</button></p></form>");
        return Page("Sign in", body.ToString(), status);
    }

    /// <summary>Only a path on this server: a sign-in link must not send the wearer elsewhere.</summary>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
