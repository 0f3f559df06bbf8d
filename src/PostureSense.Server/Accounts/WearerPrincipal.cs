using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Accounts;

namespace PostureSense.Server.Accounts;

/// <summary>
/// The signed-in wearer as the session cookie carries them: their id, email and the account's
/// security stamp when the session began (<see cref="WearerCookie"/> ends the session once the
/// account's stamp has changed).
/// </summary>
public static class WearerPrincipal
{
    public const string StampClaim = "posturesense:stamp";

    public static ClaimsPrincipal For(Wearer wearer, string stamp) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, wearer.Id.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, wearer.Email),
        new Claim(StampClaim, stamp),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>The stamp the session was signed with; empty for a session from before stamps (as the account's stamp then is).</summary>
    public static string Stamp(this ClaimsPrincipal user) => user.FindFirstValue(StampClaim) ?? "";

    /// <summary>The wearer's id, or null when nobody is signed in.</summary>
    public static long? WearerId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    /// <summary>Starts a session with the account's current stamp.</summary>
    public static async Task SignInAsync(HttpContext http, Wearer wearer)
    {
        var security = await http.RequestServices.GetRequiredService<AccountService>().SecurityOfAsync(wearer.Id, http.RequestAborted);
        await SignInAsync(http, wearer, security?.Stamp ?? "");
    }

    public static Task SignInAsync(HttpContext http, Wearer wearer, string stamp) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, For(wearer, stamp),
            new AuthenticationProperties { IsPersistent = true });

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
}
