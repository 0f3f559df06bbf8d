using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.SignIn;

/// <summary>
/// The plain forms around the dashboard's pages (<see cref="Ui.DashboardUi"/>): <c>/login</c>,
/// <c>/signup</c> and <c>/logout</c>, and <c>POST /devices</c> to claim a device, which also works
/// before the page's interactive circuit is up. Every form carries an antiforgery token
/// (<see cref="FormToken"/>); a post without a valid one is a 400.
/// </summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignInForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/devices", ClaimAsync).RequireAuthorization().RequireFormToken();
        app.MapGet("/login", ShowLogin);
        var signIn = app.MapGroup("").RequireRateLimiting(SignInLimits.Policy).RequireFormToken();
        signIn.MapPost("/login", SignInAsync);
        signIn.MapPost("/signup", SignUpAsync);
        // As a route handler, not a bare RequestDelegate (its only parameter is the context), so its result is written.
        app.MapPost("/logout", (Delegate)SignOutAsync).RequireFormToken();
        app.MapAccountForms();
        return app;
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> ClaimAsync(HttpContext http, DeviceClaims claims, CancellationToken ct)
    {
        if (await FormAsync(http.Request, ct) is not { } form) return NotAForm();
        var answer = await claims.ClaimAsync(http.User.WearerId()!.Value, http.Connection.RemoteIpAddress,
            form["deviceId"].ToString().Trim(), form["pairingCode"].ToString(), ct);
        if (answer.RetryAfter is { } wait) http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return answer.Succeeded ? TypedResults.Redirect("/") : Html.Error(answer.Status, answer.Error!);
    }

    public static ContentHttpResult ShowLogin(HttpContext http, string? returnUrl, string? signedUp, ServerOptions options) =>
        LoginPage.Render(http, returnUrl, null, options.SignUpOpen, notice: signedUp is null ? null : LoginPage.SignedUp);

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignInAsync(HttpContext http, AccountService accounts,
        ServerOptions options, CancellationToken ct)
    {
        if (await FormAsync(http.Request, ct) is not { } form) return NotAForm();
        var returnUrl = form["returnUrl"].ToString();
        if (await accounts.SignInAsync(form["email"], form["password"], ct) is not { } wearer)
            return LoginPage.Render(http, returnUrl, "Wrong email or password.", options.SignUpOpen, StatusCodes.Status401Unauthorized,
                email: form["email"]);
        await WearerPrincipal.SignInAsync(http, wearer);
        return TypedResults.Redirect(LoginPage.SafeReturn(returnUrl));
    }

    /// <summary>
    /// A new account, or nothing when the email is taken; either way the same redirect to the
    /// sign-in page and no session, so the answer does not tell whether someone has an account.
    /// </summary>
    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignUpAsync(HttpContext http, AccountService accounts,
        ServerOptions options, CancellationToken ct)
    {
        if (!options.SignUpOpen) return Html.Error(StatusCodes.Status403Forbidden, "Sign-up is closed on this server.");
        if (await FormAsync(http.Request, ct) is not { } form) return NotAForm();
        var result = await accounts.SignUpAsync(form["email"], form["password"], ct);
        if (result.Status == AccountStatus.Invalid)
            return LoginPage.Render(http, null, string.Join("; ", result.Problems), true, StatusCodes.Status400BadRequest,
                newEmail: form["email"]);
        return TypedResults.Redirect("/login?signedUp=1");
    }

    /// <summary>
    /// The posted form, or null when the body is not one: a JSON body, or a multipart body that
    /// breaks off. Reading those throws, which would answer a client's mistake with a 500.
    /// </summary>
    internal static async Task<IFormCollection?> FormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) return null;
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static ContentHttpResult NotAForm() =>
        Html.Error(StatusCodes.Status400BadRequest, "Send the form as application/x-www-form-urlencoded or multipart/form-data.");

    public static async Task<RedirectHttpResult> SignOutAsync(HttpContext http)
    {
        await WearerPrincipal.SignOutAsync(http);
        return TypedResults.Redirect("/login");
    }
}
