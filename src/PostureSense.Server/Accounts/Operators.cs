using System.Security.Claims;
using PostureSense.Accounts;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Accounts;

/// <summary>
/// Who may see the fleet-wide pages: an account made operator in the app database
/// (<c>posturesense users grant-operator</c>) or named by <c>--operators</c>. Read on every request,
/// so taking the role away works at once; never decided by where the request comes from.
/// </summary>
public static class Operators
{
    public static async Task<bool> IsOperatorAsync(ClaimsPrincipal user, AccountService accounts, ServerOptions options, CancellationToken ct)
    {
        if (user.WearerId() is not { } id) return false;
        if (await accounts.SecurityOfAsync(id, ct) is not { } security) return false;
        if (security.Operator) return true;
        return options.Operators.Count > 0 && await accounts.GetAsync(id, ct) is { } wearer
               && options.Operators.Contains(wearer.Email, StringComparer.OrdinalIgnoreCase);
    }
}
