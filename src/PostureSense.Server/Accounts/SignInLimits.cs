using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Server.Http;

namespace PostureSense.Server.Accounts;

/// <summary>
/// At most <see cref="PerMinute"/> sign-in and sign-up attempts a minute from one address: enough
/// for a person with typos, too few to guess passwords, and it caps the password hashing an
/// attacker can make the server do. Behind a reverse proxy every client shares its address.
/// </summary>
public static class SignInLimits
{
    public const string Policy = "sign-in";
    public const int PerMinute = 10;

    public static IServiceCollection AddSignInLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = PerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        options.OnRejected = (context, ct) =>
        {
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.Headers.RetryAfter = "60";
            return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
                new ErrorView("too many sign-in attempts from your address; wait a minute"), Answers.Json, ct));
        };
    });
}
