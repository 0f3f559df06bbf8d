using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureSense.Accounts;
using PostureSense.Server.Api;
using static PostureSense.Server.Api.ApiEndpoints;

namespace PostureSense.Server.Accounts;

/// <summary>
/// Accounts over JSON: sign up (when open), sign in and out (a session cookie), who am I, and
/// claiming or letting go of a device by its id.
/// </summary>
public static class AccountEndpoints
{
    public sealed record CredentialsBody(string? Email, string? Password);

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app, PostureServices services)
    {
        var accounts = services.Accounts;
        var open = app.MapGroup("/api/account").AllowAnonymous();
        var limited = open.MapGroup("").RequireRateLimiting(SignInLimits.Policy);

        limited.MapPost("/signup", async (HttpContext http, CancellationToken ct) =>
        {
            if (!services.Options.SignUpOpen)
                return Error(StatusCodes.Status403Forbidden, "sign-up is closed on this server; ask its operator for an account");
            var (body, bad) = await JsonBody.ReadAsync<CredentialsBody>(http, ct);
            if (bad is not null) return bad;
            var result = await accounts.SignUpAsync(body!.Email, body.Password, ct);
            switch (result.Status)
            {
                case AccountStatus.Invalid: return Invalid("the account cannot be made", result.Problems);
                case AccountStatus.Conflict: return Error(StatusCodes.Status409Conflict, result.Problems[0]);
            }
            await WearerPrincipal.SignInAsync(http, result.Wearer!);
            return Results.Json(new WearerView(result.Wearer!.Id, result.Wearer.Email, []), Json, statusCode: StatusCodes.Status201Created);
        });

        limited.MapPost("/login", async (HttpContext http, CancellationToken ct) =>
        {
            var (body, bad) = await JsonBody.ReadAsync<CredentialsBody>(http, ct);
            if (bad is not null) return bad;
            if (await accounts.SignInAsync(body!.Email, body.Password, ct) is not { } wearer)
                return Error(StatusCodes.Status401Unauthorized, "wrong email or password");
            await WearerPrincipal.SignInAsync(http, wearer);
            return Results.Json(new WearerView(wearer.Id, wearer.Email, accounts.DevicesOf(wearer.Id)), Json);
        });

        open.MapPost("/logout", async (HttpContext http) =>
        {
            await WearerPrincipal.SignOutAsync(http);
            return Results.NoContent();
        });

        var api = app.MapGroup("/api").RequireAuthorization();

        api.MapGet("/me", async (HttpContext http, CancellationToken ct) =>
        {
            var id = http.User.WearerId()!.Value;
            // A session of an account that is gone (a restored database) is no session.
            if (await accounts.GetAsync(id, ct) is not { } wearer) return Error(StatusCodes.Status401Unauthorized, "sign in again");
            return Results.Json(new WearerView(wearer.Id, wearer.Email, accounts.DevicesOf(wearer.Id)), Json);
        });

        api.MapPost("/devices/{id}/claim", async (HttpContext http, string id, CancellationToken ct) =>
        {
            var result = await accounts.ClaimAsync(http.User.WearerId()!.Value, id, ct);
            return result.Outcome switch
            {
                null => Error(StatusCodes.Status400BadRequest, result.Error!),
                ClaimOutcome.OwnedByAnother => Error(StatusCodes.Status409Conflict, result.Error!),
                ClaimOutcome.Claimed => Results.Json(new ClaimView(id, "claimed"), Json, statusCode: StatusCodes.Status201Created),
                _ => Results.Json(new ClaimView(id, "already yours"), Json),
            };
        });

        api.MapDelete("/devices/{id}/claim", async (HttpContext http, string id, CancellationToken ct) =>
            await accounts.ReleaseAsync(http.User.WearerId()!.Value, id, ct) ? Results.NoContent() : NotYours(id));

        return app;
    }

    public sealed record ClaimView(string DeviceId, string Result);
}
