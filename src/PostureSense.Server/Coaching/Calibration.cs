using System.Security.Cryptography;
using PostureSense.Core.Contract;

namespace PostureSense.Server.Coaching;

/// <summary>
/// The calibrate command: the device takes its current posture as upright. Shared by the API and
/// the dashboard so both send the same command and word a failure the same way.
/// </summary>
public static class Calibration
{
    /// <param name="Command">What was sent; null when <paramref name="Error"/> says why not.</param>
    public sealed record Result(DeviceCommand? Command, string? Error);

    public static async Task<Result> SendAsync(ICommandPublisher commands, TimeProvider clock, DeviceId deviceId, CancellationToken cancellationToken)
    {
        var command = new DeviceCommand(ContractLimits.Version, "cal-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)),
            DeviceCommand.Types.Calibrate, clock.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            await commands.PublishCommandAsync(deviceId, command, cancellationToken);
            return new Result(command, null);
        }
        catch (InvalidOperationException ex)
        {
            return new Result(null, $"the broker did not take the command: {ex.Message}");
        }
    }
}
