using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;

namespace PostureSense.Accounts.Devices;

/// <summary>A device as the operator provisioned it: hashes only, never its secrets.</summary>
public sealed record ProvisionedDevice(DeviceId DeviceId, string PasswordHash, string PairingHash, long ProvisionedTs);

/// <summary>What a device is told once, when it is provisioned; the app database keeps only their hashes.</summary>
public sealed record DeviceSecrets(DeviceId DeviceId, string Password, string PairingCode);

public enum BrokerLogin
{
    Accepted,
    Refused,
    /// <summary>The operator never provisioned this device id.</summary>
    NotProvisioned,
}

/// <summary>
/// The devices the operator provisioned (<c>posturesense device add</c>): each has a broker password,
/// the MQTT credential it connects with, and a pairing code, which its wearer types to claim it.
/// <para>
/// The pairing code is short enough to type, so it is kept as a PBKDF2 hash (ASP.NET Core Identity's,
/// as for wearers' passwords) and checked in fixed time. The broker password is 144 random bits
/// nobody types: there is no dictionary to slow down, so a SHA-256 of it is enough, and a device's
/// connect costs no key stretching.
/// </para>
/// </summary>
public sealed class DeviceRegistry
{
    /// <summary>Client ids and usernames of the server itself start with this; no device may take it.</summary>
    public const string ReservedPrefix = "posturesense-server";

    const string PasswordScheme = "sha256:";
    readonly AppDatabase _db;
    readonly TimeProvider _clock;
    readonly PasswordHasher<string> _hasher = new();
    /// <summary>Checked against when the device is unknown, so an unknown device takes as long as a wrong code.</summary>
    readonly string _decoyHash;

    public DeviceRegistry(AppDatabase db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
        _decoyHash = _hasher.HashPassword("", PairingCode.Generate());
    }

    public static bool IsReserved(string? id) => id is not null && id.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Why this typed id cannot be provisioned or claimed, or null and the id, parsed once, when it can.
    /// </summary>
    public static string? IdProblem(string? deviceId, out DeviceId id) =>
        !DeviceId.TryParse(deviceId, out id) ? DeviceId.NotAnIdMessage(deviceId) : ReservedProblem(id);

    static string? ReservedProblem(DeviceId deviceId) =>
        IsReserved(deviceId.Value) ? $"'{deviceId}' is reserved: ids starting with {ReservedPrefix} belong to the server" : null;

    /// <summary>
    /// Gives the device a new broker password and records its pairing code: the one the device
    /// shows (<paramref name="pairingCode"/>) or, without one, a new one to print on its label.
    /// Provisioning a device again replaces both.
    /// </summary>
    /// <exception cref="ArgumentException">The id is not valid or reserved, or the code is not a pairing code.</exception>
    public async Task<DeviceSecrets> ProvisionAsync(DeviceId deviceId, string? pairingCode = null, CancellationToken cancellationToken = default)
    {
        if (ReservedProblem(deviceId) is { } problem) throw new ArgumentException(problem, nameof(deviceId));
        var code = pairingCode is null ? PairingCode.Generate()
            : PairingCode.Normalize(pairingCode) is { } normalized ? PairingCode.Format(normalized)
            : throw new ArgumentException($"'{pairingCode}' is not a pairing code: {PairingCode.Length} letters and digits, as XXXX-XXXX-XXXX", nameof(pairingCode));
        var password = Base64Url(RandomNumberGenerator.GetBytes(18));
        await _db.SaveDeviceAsync(deviceId, HashPassword(password), _hasher.HashPassword(deviceId.Value, PairingCode.Normalize(code)!),
            _clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        return new DeviceSecrets(deviceId, password, code);
    }

    public Task<IReadOnlyList<ProvisionedDevice>> ListAsync(CancellationToken cancellationToken = default) => _db.ListDevicesAsync(cancellationToken);

    /// <summary>Takes the device's credentials away: it can no longer connect or be claimed.</summary>
    public Task<bool> RemoveAsync(DeviceId deviceId, CancellationToken cancellationToken = default) => _db.RemoveDeviceAsync(deviceId, cancellationToken);

    public async Task<BrokerLogin> CheckPasswordAsync(DeviceId deviceId, string? password, CancellationToken cancellationToken = default)
    {
        if (await _db.FindDeviceAsync(deviceId, cancellationToken) is not { } device) return BrokerLogin.NotProvisioned;
        var expected = Encoding.ASCII.GetBytes(device.PasswordHash);
        var given = Encoding.ASCII.GetBytes(HashPassword(password ?? ""));
        return CryptographicOperations.FixedTimeEquals(expected, given) ? BrokerLogin.Accepted : BrokerLogin.Refused;
    }

    /// <summary>
    /// Whether the code is the device's pairing code. Takes the same time whether the device is
    /// unknown, the code is wrong or right: one key derivation and a fixed-time comparison each.
    /// </summary>
    public async Task<bool> PairingMatchesAsync(DeviceId deviceId, string? typedCode, CancellationToken cancellationToken = default)
    {
        var device = await _db.FindDeviceAsync(deviceId, cancellationToken);
        var code = PairingCode.Normalize(typedCode) ?? "";
        var verdict = _hasher.VerifyHashedPassword(deviceId.Value, device?.PairingHash ?? _decoyHash, code);
        return device is not null && code.Length > 0 && verdict != PasswordVerificationResult.Failed;
    }

    static string HashPassword(string password) => PasswordScheme + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
