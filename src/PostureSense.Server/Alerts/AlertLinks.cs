using PostureSense.Core.Contract;
using Microsoft.AspNetCore.DataProtection;

namespace PostureSense.Server.Alerts;

/// <summary>Where a push notification's buttons lead: signed links that need no session.</summary>
public sealed record AlertLinks(Uri Done, Uri Snooze, Uri Open);

/// <summary>
/// Makes and checks the links behind the "Done" and "Snooze" buttons of a push notification. A
/// phone's ntfy app calls them without the wearer's cookie, so the link itself is the credential:
/// the device, the command, the action and an expiry <see cref="Lifetime"/> ahead on the server's
/// clock, protected (encrypted and signed) by the server's keys.
/// </summary>
public sealed class AlertLinkSigner(IDataProtectionProvider protection, Uri? publicUrl, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);
    public const string ActionRoute = "/api/alerts/actions/";

    // The expiry is in the payload and checked on the injected clock, so links expire in the
    // demo's and the tests' time as they do in real time.
    readonly IDataProtector _protector = protection.CreateProtector("PostureSense.Alerts.PromptAction");

    /// <summary>Null without a public URL: phones could not reach the links anyway.</summary>
    public AlertLinks? LinksFor(PromptAlert alert)
    {
        if (publicUrl is null) return null;
        // Relative to the public URL, so a server behind a proxy under a path keeps that path.
        Uri Action(string action) => new(publicUrl, ActionRoute.TrimStart('/') + Token(alert.DeviceId, alert.CommandId, action));
        return new AlertLinks(Action(PromptAction.Done), Action(PromptAction.Snooze),
            new Uri(publicUrl, $"devices/{Uri.EscapeDataString(alert.DeviceId.Value)}"));
    }

    public string Token(DeviceId deviceId, string commandId, string action) =>
        _protector.Protect($"{action}\n{deviceId}\n{commandId}\n{(clock.GetUtcNow() + Lifetime).ToUnixTimeMilliseconds()}");

    /// <summary>The action a token stands for; false if it was tampered with, made by other keys, or has expired.</summary>
    public bool TryRead(string token, out string action, out DeviceId deviceId, out string commandId)
    {
        action = commandId = "";
        deviceId = default;
        try
        {
            var parts = _protector.Unprotect(token).Split('\n');
            if (parts.Length != 4 || !long.TryParse(parts[3], System.Globalization.CultureInfo.InvariantCulture, out var expiresTs)
                || expiresTs < clock.GetUtcNow().ToUnixTimeMilliseconds() || !DeviceId.TryParse(parts[1], out deviceId))
                return false;
            (action, commandId) = (parts[0], parts[2]);
            return true;
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return false;
        }
    }
}

/// <summary>What the wearer can answer a prompt with from the phone.</summary>
public static class PromptAction
{
    public const string Done = "done";
    public const string Snooze = "snooze";
}
