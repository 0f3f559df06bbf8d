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
/// before the page's interactive circuit is up.
/// </summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignInForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/devices", ClaimAsync).RequireAuthorization();
        app.MapGet("/login", ShowLogin);
        var signIn = app.MapGroup("").RequireRateLimiting(SignInLimits.Policy);
        signIn.MapPost("/login", SignInAsync);
        signIn.MapPost("/signup", SignUpAsync);
        // As a route handler, not a bare RequestDelegate (its only parameter is the context), so its result is written.
        app.MapPost("/logout", (Delegate)SignOutAsync);
        return app;
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> ClaimAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (await FormAsync(http.Request, ct) is not { } form) return NotAForm();
        var result = await accounts.ClaimAsync(http.User.WearerId()!.Value, form["deviceId"].ToString().Trim(), ct);
        return result.Succeeded
            ? TypedResults.Redirect("/")
            : Html.Error(result.Outcome is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict, result.Error!);
    }

    public static ContentHttpResult ShowLogin(string? returnUrl, ServerOptions options) => LoginPage.Render(returnUrl, null, options.SignUpOpen);

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignInAsync(HttpContext http, AccountService accounts,
        ServerOptions options, CancellationToken ct)
    {
        if (await FormAsync(http.Request, ct) is not { } form) return NotAForm();
        var returnUrl = form["returnUrl"].ToString();
        if (await accounts.SignInAsync(form["email"], form["password"], ct) is not { } wearer)
            return LoginPage.Render(returnUrl, "Wrong email or password.", options.SignUpOpen, StatusCodes.Status401Unauthorized,
                email: form["email"]);
        await WearerPrincipal.SignInAsync(http, wearer);
        return TypedResults.Redirect(LoginPage.SafeReturn(returnUrl));
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignUpAsync(HttpContext http, AccountService accounts,
        ServerOptions options, CancellationToken ct)
    {
        if (!options.SignUpOpen) return Html.Error(StatusCodes.Status403Forbidden, "Sign-up is closed on this server.");
        if (await FormAsync(http.Request, ct) is not { } form) return NotAForm();
        var result = await accounts.SignUpAsync(form["email"], form["password"], ct);
        if (result.Wearer is null)
            return LoginPage.Render(null, string.Join("; ", result.Problems), true, StatusCodes.Status400BadRequest,
                newEmail: form["email"]);
        await WearerPrincipal.SignInAsync(http, result.Wearer);
        return TypedResults.Redirect("/");
    }

    /// <summary>
    /// The posted form, or null when the body is not one: a JSON body, or a multipart body that
    /// breaks off. Reading those throws, which would answer a client's mistake with a 500.
    /// </summary>
    static async Task<IFormCollection?> FormAsync(HttpRequest request, CancellationToken ct)
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

    static ContentHttpResult NotAForm() =>
        Html.Error(StatusCodes.Status400BadRequest, "Send the form as application/x-www-form-urlencoded or multipart/form-data.");

    public static async Task<RedirectHttpResult> SignOutAsync(HttpContext http)
    {
        await WearerPrincipal.SignOutAsync(http);
        return TypedResults.Redirect("/login");
    }
}
