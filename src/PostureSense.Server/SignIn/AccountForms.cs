using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;

namespace PostureSense.Server.SignIn;

/// <summary>
/// The settings page's account forms, posted as plain forms (a session cookie can only be set on
/// an HTTP answer, not over the page's circuit): a new password, and signing out everywhere.
/// </summary>
static class AccountForms
{
    public const string PasswordPath = "/account/password";
    public const string SignOutEverywherePath = "/account/sign-out-everywhere";

    public static IEndpointRouteBuilder MapAccountForms(this IEndpointRouteBuilder app)
    {
        // Changing the password checks the current one: as limited as signing in.
        app.MapPost(PasswordPath, ChangePasswordAsync).RequireAuthorization().RequireRateLimiting(SignInLimits.Policy).RequireFormToken();
        app.MapPost(SignOutEverywherePath, SignOutEverywhereAsync).RequireAuthorization().RequireFormToken();
        return app;
    }

    /// <summary>Every other session ends; this one goes on with the new stamp.</summary>
    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> ChangePasswordAsync(HttpContext http, AccountService accounts,
        CancellationToken ct)
    {
        if (await SignInEndpoints.FormAsync(http.Request, ct) is not { } form) return SignInEndpoints.NotAForm();
        var id = http.User.WearerId()!.Value;
        var change = await accounts.ChangePasswordAsync(id, form["currentPassword"], form["newPassword"], ct);
        if (!change.Succeeded)
            return Html.Page("Password not changed",
                $"<h1>Password not changed</h1><p class=\"problem\" role=\"alert\">{Html.E(string.Join("; ", change.Problems))}</p>" +
                "<p><a href=\"/settings\">Back to settings</a></p>", StatusCodes.Status400BadRequest);
        if (await accounts.GetAsync(id, ct) is { } wearer) await WearerPrincipal.SignInAsync(http, wearer, change.Stamp!);
        return TypedResults.Redirect("/settings?password=changed");
    }

    /// <summary>Ends every session of the wearer, this one too.</summary>
    public static async Task<RedirectHttpResult> SignOutEverywhereAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        await accounts.SignOutEverywhereAsync(http.User.WearerId()!.Value, ct);
        await WearerPrincipal.SignOutAsync(http);
        return TypedResults.Redirect("/login");
    }
}
