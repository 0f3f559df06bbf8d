using PostureSense.Core.Contract;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PostureSense.Accounts;
using PostureSense.Server.Http;
using PostureSense.Server.Configuration;
using static PostureSense.Server.Http.Answers;

namespace PostureSense.Server.Accounts;

/// <summary>
/// Accounts over JSON: sign up (when open), sign in and out (a session cookie), who am I, and
/// claiming or letting go of a device by its id.
/// </summary>
public static class AccountEndpoints
{
    public sealed record CredentialsBody(string? Email, string? Password);

    public sealed record PasswordBody(string? CurrentPassword, string? NewPassword);

    /// <summary>The one answer to every sign-up that was well formed, whether or not the email was new.</summary>
    public const string SignedUp = "if this email had no account, it has one now; sign in with it (POST /api/account/login)";

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/account").AllowAnonymous();
        var limited = open.MapGroup("").RequireRateLimiting(SignInLimits.Policy);
        limited.MapPost("/signup", SignUpAsync);
        limited.MapPost("/login", SignInAsync);
        // As a route handler, not a bare RequestDelegate (its only parameter is the context), so its result is written.
        open.MapPost("/logout", (Delegate)SignOutAsync);

        var account = app.MapGroup("/api/account").RequireAuthorization();
        account.MapPost("/password", ChangePasswordAsync).RequireRateLimiting(SignInLimits.Policy);
        account.MapPost("/logout-everywhere", SignOutEverywhereAsync);

        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapGet("/me", GetMeAsync);
        api.MapPost("/devices/{id}/claim", ClaimAsync);
        api.MapDelete("/devices/{id}/claim", ReleaseAsync);
        return app;
    }

    /// <summary>
    /// A new account, or nothing when the email is taken: the same 202 either way, with no session,
    /// and the password hashed either way, so nobody can tell whether someone has an account.
    /// </summary>
    public static async Task<Results<Accepted<ResultView>, BadRequest<ProblemsView>, JsonHttpResult<ErrorView>>> SignUpAsync(
        HttpContext http, AccountService accounts, ServerOptions options, CancellationToken ct)
    {
        if (!options.SignUpOpen)
            return Error(StatusCodes.Status403Forbidden, "sign-up is closed on this server; ask its operator for an account");
        var (body, bad) = await JsonBody.ReadAsync<CredentialsBody>(http, ct);
        if (bad is not null) return bad;
        var result = await accounts.SignUpAsync(body!.Email, body.Password, ct);
        if (result.Status == AccountStatus.Invalid) return Invalid("the account cannot be made", result.Problems);
        return TypedResults.Accepted((string?)null, new ResultView(SignedUp));
    }

    /// <summary>A new password, given the current one: every other session ends, this one goes on.</summary>
    public static async Task<Results<NoContent, BadRequest<ProblemsView>, JsonHttpResult<ErrorView>>> ChangePasswordAsync(
        HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var (body, bad) = await JsonBody.ReadAsync<PasswordBody>(http, ct);
        if (bad is not null) return bad;
        var id = http.User.WearerId()!.Value;
        var change = await accounts.ChangePasswordAsync(id, body!.CurrentPassword, body.NewPassword, ct);
        if (!change.Succeeded) return Invalid("the password is not changed", change.Problems);
        if (await accounts.GetAsync(id, ct) is { } wearer) await WearerPrincipal.SignInAsync(http, wearer, change.Stamp!);
        return TypedResults.NoContent();
    }

    /// <summary>Ends every session of the wearer, the one asking included.</summary>
    public static async Task<NoContent> SignOutEverywhereAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        await accounts.SignOutEverywhereAsync(http.User.WearerId()!.Value, ct);
        await WearerPrincipal.SignOutAsync(http);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<WearerView>, JsonHttpResult<ErrorView>>> SignInAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var (body, bad) = await JsonBody.ReadAsync<CredentialsBody>(http, ct);
        if (bad is not null) return bad;
        if (await accounts.SignInAsync(body!.Email, body.Password, ct) is not { } wearer)
            return Error(StatusCodes.Status401Unauthorized, "wrong email or password");
        await WearerPrincipal.SignInAsync(http, wearer);
        return TypedResults.Ok(new WearerView(wearer.Id, wearer.Email, accounts.DevicesOf(wearer.Id)));
    }

    public static async Task<NoContent> SignOutAsync(HttpContext http)
    {
        await WearerPrincipal.SignOutAsync(http);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<WearerView>, JsonHttpResult<ErrorView>>> GetMeAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var id = http.User.WearerId()!.Value;
        // A session of an account that is gone (a restored database) is no session.
        if (await accounts.GetAsync(id, ct) is not { } wearer) return Error(StatusCodes.Status401Unauthorized, "sign in again");
        return TypedResults.Ok(new WearerView(wearer.Id, wearer.Email, accounts.DevicesOf(wearer.Id)));
    }

    public sealed record ClaimBody(string? PairingCode);

    /// <summary>
    /// Claims a device with the pairing code it shows (<c>{"pairingCode":"..."}</c>): 201 claimed,
    /// 200 already yours, 400 no code or not a device id, 403 for an unknown device, a wrong code or
    /// another wearer's device alike, 429 after too many wrong codes from the account or address.
    /// </summary>
    public static async Task<Results<Created<ClaimView>, Ok<ClaimView>, JsonHttpResult<ErrorView>>> ClaimAsync(
        HttpContext http, string id, DeviceClaims claims, CancellationToken ct)
    {
        string? code = null;
        if (http.Request.ContentLength is not 0 && http.Request.HasJsonContentType())
        {
            var (body, bad) = await JsonBody.ReadAsync<ClaimBody>(http, ct);
            if (bad is not null) return bad;
            code = body!.PairingCode;
        }
        var answer = await claims.ClaimAsync(http.User.WearerId()!.Value, http.Connection.RemoteIpAddress, id, code, ct);
        if (answer.RetryAfter is { } wait) http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return answer.Status switch
        {
            StatusCodes.Status201Created => TypedResults.Created((string?)null, new ClaimView(id, "claimed")),
            StatusCodes.Status200OK => TypedResults.Ok(new ClaimView(id, "already yours")),
            _ => Error(answer.Status, answer.Error!),
        };
    }

    public static async Task<Results<NoContent, NotFound<ErrorView>>> ReleaseAsync(HttpContext http, string id, AccountService accounts,
        CancellationToken ct) =>
        DeviceId.TryParse(id, out var device) && await accounts.ReleaseAsync(http.User.WearerId()!.Value, device, ct) ? TypedResults.NoContent() : NotYours(id);

    public sealed record ResultView(string Result);

    public sealed record ClaimView(string DeviceId, string Result);

    public sealed record WearerView(long Id, string Email, IReadOnlyList<DeviceId> Devices);
}
