using System.Net;
using Microsoft.AspNetCore.Http;
using PostureSense.Accounts;

namespace PostureSense.Server.Accounts;

/// <summary>What a claim comes to, as an HTTP status and, unless it succeeded, the error to show.</summary>
public sealed record ClaimAnswer(int Status, string? Error, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Status is StatusCodes.Status200OK or StatusCodes.Status201Created;
}

/// <summary>
/// A wearer claims a device with its pairing code, from the API, the plain form or the dashboard
/// alike: the code checked by <see cref="AccountService.ClaimAsync"/>, wrong codes counted by
/// <see cref="ClaimLimits"/> against the account and the client's address. A device that is
/// unknown, taken or given the wrong code gets the same 403 and the same words.
/// </summary>
public sealed class DeviceClaims(AccountService accounts, ClaimLimits limits)
{
    public async Task<ClaimAnswer> ClaimAsync(long wearerId, IPAddress? address, string? deviceId, string? pairingCode,
        CancellationToken cancellationToken)
    {
        // Behind a reverse proxy every client shares the proxy's address: the account's limit still holds.
        var from = address?.ToString();
        if (!limits.MayTry(wearerId, from))
            return new ClaimAnswer(StatusCodes.Status429TooManyRequests,
                $"too many wrong pairing codes; try again in {Math.Ceiling(limits.RetryAfter.TotalMinutes)} min", limits.RetryAfter);
        var result = await accounts.ClaimAsync(wearerId, deviceId, pairingCode, cancellationToken);
        switch (result.Outcome)
        {
            case null: return new ClaimAnswer(StatusCodes.Status400BadRequest, result.Error);
            case ClaimOutcome.Claimed: return new ClaimAnswer(StatusCodes.Status201Created, null);
            case ClaimOutcome.AlreadyYours: return new ClaimAnswer(StatusCodes.Status200OK, null);
            default:
                limits.Failed(wearerId, from);
                return new ClaimAnswer(StatusCodes.Status403Forbidden, AccountService.NoMatchError);
        }
    }
}
