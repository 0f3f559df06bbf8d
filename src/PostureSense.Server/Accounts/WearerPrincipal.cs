using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using PostureSense.Accounts;

namespace PostureSense.Server.Accounts;

/// <summary>The signed-in wearer as the session cookie carries them: their id and email.</summary>
public static class WearerPrincipal
{
    public static ClaimsPrincipal For(Wearer wearer) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, wearer.Id.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, wearer.Email),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>The wearer's id, or null when nobody is signed in.</summary>
    public static long? WearerId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    public static Task SignInAsync(HttpContext http, Wearer wearer) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, For(wearer),
            new AuthenticationProperties { IsPersistent = true });

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
}
