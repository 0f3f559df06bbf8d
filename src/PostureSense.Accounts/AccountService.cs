using PostureSense.Core.Contract;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using PostureSense.Accounts.Devices;

namespace PostureSense.Accounts;

/// <summary>
/// Wearers and the devices they own. Passwords are kept only as ASP.NET Core Identity hashes
/// (PBKDF2). Who owns which device is held in memory as well, since coaching and alerts ask it for
/// every batch and prompt.
/// </summary>
public sealed class AccountService
{
    readonly AppDatabase _db;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly PasswordHasher<Wearer> _hasher = new();
    readonly ConcurrentDictionary<DeviceId, long> _owners;
    /// <summary>Verified against when the email is unknown, so a wrong email takes as long as a wrong password.</summary>
    readonly string _decoyHash;

    AccountService(AppDatabase db, TimeProvider clock, ILogger log, IEnumerable<(DeviceId DeviceId, long WearerId)> owners)
    {
        _db = db;
        _clock = clock;
        _log = log;
        _owners = new(owners.Select(o => KeyValuePair.Create(o.DeviceId, o.WearerId)));
        _decoyHash = _hasher.HashPassword(new Wearer(0, ""), Guid.NewGuid().ToString());
        Devices = new DeviceRegistry(db, clock);
    }

    public static async Task<AccountService> OpenAsync(AppDatabase db, TimeProvider clock, ILogger<AccountService> log,
        CancellationToken cancellationToken = default) =>
        new(db, clock, log, await db.AllOwnershipsAsync(cancellationToken));

    /// <summary>Raised after a device changed hands (claimed: the wearer; released: null). Handlers must not block.</summary>
    public event Action<DeviceId, long?>? OwnershipChanged;

    /// <summary>
    /// Raised after this server itself changed a device's owner, not after <see cref="ReloadOwnerAsync"/>:
    /// what a cluster passes on to the other nodes. Handlers must not block.
    /// </summary>
    public event Action<DeviceId>? OwnerSaved;

    public AppDatabase Database => _db;

    /// <summary>The provisioned devices: their broker passwords and pairing codes.</summary>
    public DeviceRegistry Devices { get; }

    public async Task<AccountResult> SignUpAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        var problems = Credentials.Problems(email, password);
        if (problems.Count > 0) return AccountResult.Invalid(problems);
        var normalized = Credentials.Normalize(email);
        var hash = _hasher.HashPassword(new Wearer(0, normalized), password!);
        var wearer = await _db.AddWearerAsync(normalized, hash, Now(), cancellationToken);
        if (wearer is null) return AccountResult.Conflict($"an account for {normalized} exists already");
        _log.LogInformation("New wearer {WearerId}", wearer.Id);
        return AccountResult.Ok(wearer);
    }

    /// <summary>The wearer, or null for an unknown email or a wrong password (the caller cannot tell which).</summary>
    public async Task<Wearer?> SignInAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(password) || password.Length > Credentials.MaxPasswordLength) return null;
        var found = await _db.FindWearerAsync(Credentials.Normalize(email), cancellationToken);
        if (found is not { } account)
        {
            _hasher.VerifyHashedPassword(new Wearer(0, ""), _decoyHash, password);
            return null;
        }
        var verdict = _hasher.VerifyHashedPassword(account.Wearer, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed) return null;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await _db.SetPasswordHashAsync(account.Wearer.Id, _hasher.HashPassword(account.Wearer, password), cancellationToken);
        return account.Wearer;
    }

    public Task<Wearer?> GetAsync(long wearerId, CancellationToken cancellationToken = default) => _db.GetWearerAsync(wearerId, cancellationToken);

    /// <summary>The wearer's security stamp and role, read on every request so a rotation ends sessions at once.</summary>
    public Task<WearerSecurity?> SecurityOfAsync(long wearerId, CancellationToken cancellationToken = default) =>
        _db.GetSecurityAsync(wearerId, cancellationToken);

    /// <summary>
    /// A new password, given the current one; the security stamp rotates, so every session ends
    /// (the caller signs the one asking in again with <see cref="PasswordChange.Stamp"/>).
    /// </summary>
    public async Task<PasswordChange> ChangePasswordAsync(long wearerId, string? currentPassword, string? newPassword,
        CancellationToken cancellationToken = default)
    {
        if (await _db.GetWearerAsync(wearerId, cancellationToken) is not { } wearer) return PasswordChange.Refused("sign in again");
        if (await SignInAsync(wearer.Email, currentPassword, cancellationToken) is null)
            return PasswordChange.Refused("the current password is wrong");
        return await ReplacePasswordAsync(wearer, newPassword, cancellationToken);
    }

    /// <summary>The operator's reset: a new password without the old one, and every session of the account ends.</summary>
    public async Task<PasswordChange> ResetPasswordAsync(string? email, string? newPassword, CancellationToken cancellationToken = default)
    {
        if (await _db.FindWearerAsync(Credentials.Normalize(email), cancellationToken) is not { } found)
            return PasswordChange.Refused($"no account for {email}");
        return await ReplacePasswordAsync(found.Wearer, newPassword, cancellationToken);
    }

    /// <summary>Ends every session of the wearer, this one included; the new stamp, or null when the account is gone.</summary>
    public async Task<string?> SignOutEverywhereAsync(long wearerId, CancellationToken cancellationToken = default)
    {
        var stamp = await _db.RotateStampAsync(wearerId, cancellationToken);
        if (stamp is not null) _log.LogInformation("Wearer {WearerId} signed out everywhere", wearerId);
        return stamp;
    }

    /// <summary>Lets the account see the operator's pages (<c>/api/stats</c>); false when there is no such account.</summary>
    public async Task<bool> SetOperatorAsync(string? email, bool isOperator, CancellationToken cancellationToken = default) =>
        await _db.FindWearerAsync(Credentials.Normalize(email), cancellationToken) is { } found
        && await _db.SetOperatorAsync(found.Wearer.Id, isOperator, cancellationToken);

    async Task<PasswordChange> ReplacePasswordAsync(Wearer wearer, string? newPassword, CancellationToken cancellationToken)
    {
        var problems = Credentials.Problems(wearer.Email, newPassword);
        if (problems.Count > 0) return new PasswordChange(null, problems);
        var stamp = await _db.ReplacePasswordAsync(wearer.Id, _hasher.HashPassword(wearer, newPassword!), cancellationToken);
        if (stamp is null) return PasswordChange.Refused("sign in again");
        _log.LogInformation("Wearer {WearerId} has a new password; their other sessions end", wearer.Id);
        return new PasswordChange(stamp, []);
    }


    /// <summary>
    /// A wearer claims a device with the pairing code it shows. A device may be claimed before it
    /// has ever connected, but only once the operator provisioned it. An unknown device, a wrong
    /// code and another wearer's device all give <see cref="ClaimOutcome.NoMatch"/> after the same
    /// work (an ownership lookup in memory and one key derivation), so neither the answer nor its
    /// time tells whether the device exists or is taken.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(long wearerId, string? deviceId, string? pairingCode, CancellationToken cancellationToken = default)
    {
        if (DeviceRegistry.IdProblem(deviceId, out var id) is { } problem) return new ClaimResult(null, problem);
        if (string.IsNullOrWhiteSpace(pairingCode))
            return new ClaimResult(null, "the pairing code is missing: the device shows it when it starts (posturesense-agent --show-pairing-code)");
        var owner = OwnerOf(id);
        var matches = await Devices.PairingMatchesAsync(id, pairingCode, cancellationToken);
        if (!matches || (owner is { } o && o != wearerId)) return new ClaimResult(ClaimOutcome.NoMatch, NoMatchError);
        var result = await AssignAsync(wearerId, id, cancellationToken);
        // Taken meanwhile (by another server of a cluster, say): the same answer still.
        return result.Outcome == ClaimOutcome.OwnedByAnother ? new ClaimResult(ClaimOutcome.NoMatch, NoMatchError) : result;
    }

    /// <summary>The one answer to a claim that is not proven; see <see cref="ClaimAsync"/>.</summary>
    public const string NoMatchError = "no device waiting to be claimed has this id and pairing code; check both on the device";

    /// <summary>
    /// Gives a device to a wearer without proof: for the operator (<c>posturesense users claim</c>),
    /// who runs the server. A device another wearer owns stays theirs.
    /// </summary>
    public async Task<ClaimResult> AssignAsync(long wearerId, string? deviceId, CancellationToken cancellationToken = default) =>
        DeviceRegistry.IdProblem(deviceId, out var id) is { } problem ? new ClaimResult(null, problem) : await AssignAsync(wearerId, id, cancellationToken);

    async Task<ClaimResult> AssignAsync(long wearerId, DeviceId deviceId, CancellationToken cancellationToken)
    {
        var outcome = await _db.ClaimAsync(wearerId, deviceId, Now(), cancellationToken);
        if (outcome == ClaimOutcome.OwnedByAnother) return new ClaimResult(outcome, $"device '{deviceId}' belongs to another wearer");
        _owners[deviceId] = wearerId;
        if (outcome == ClaimOutcome.Claimed)
        {
            _log.LogInformation("Wearer {WearerId} claimed device {DeviceId}", wearerId, deviceId);
            Raise(deviceId, wearerId);
            RaiseSaved(deviceId);
        }
        return new ClaimResult(outcome, null);
    }

    public async Task<bool> ReleaseAsync(long wearerId, DeviceId deviceId, CancellationToken cancellationToken = default)
    {
        if (!await _db.ReleaseAsync(wearerId, deviceId, cancellationToken)) return false;
        _owners.TryRemove(deviceId, out _);
        _log.LogInformation("Wearer {WearerId} released device {DeviceId}", wearerId, deviceId);
        Raise(deviceId, null);
        RaiseSaved(deviceId);
        return true;
    }

    /// <summary>
    /// Reads the device's owner again from the database, which another server sharing it may have
    /// changed; raises <see cref="OwnershipChanged"/> when it differs from what this server held.
    /// </summary>
    public async Task ReloadOwnerAsync(DeviceId deviceId, CancellationToken cancellationToken = default)
    {
        var owner = await _db.OwnerOfAsync(deviceId, cancellationToken);
        var before = OwnerOf(deviceId);
        if (owner is { } wearerId) _owners[deviceId] = wearerId;
        else _owners.TryRemove(deviceId, out _);
        if (before == owner) return;
        _log.LogInformation("Device {DeviceId} changed hands on another server; now owned by {WearerId}", deviceId, owner);
        Raise(deviceId, owner);
    }

    public long? OwnerOf(DeviceId deviceId) => _owners.TryGetValue(deviceId, out var owner) ? owner : null;

    public bool Owns(long wearerId, DeviceId deviceId) => OwnerOf(deviceId) == wearerId;

    public IReadOnlyList<DeviceId> OwnedDevices() => [.. _owners.Keys.OrderBy(d => d.Value, StringComparer.Ordinal)];

    public IReadOnlyList<DeviceId> DevicesOf(long wearerId) =>
        [.. _owners.Where(o => o.Value == wearerId).Select(o => o.Key).OrderBy(d => d.Value, StringComparer.Ordinal)];

    void Raise(DeviceId deviceId, long? wearerId)
    {
        try
        {
            OwnershipChanged?.Invoke(deviceId, wearerId);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "An OwnershipChanged handler failed");
        }
    }

    void RaiseSaved(DeviceId deviceId)
    {
        try
        {
            OwnerSaved?.Invoke(deviceId);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "An OwnerSaved handler failed");
        }
    }

    long Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}

public enum AccountStatus { Ok, Invalid, Conflict }

public sealed record AccountResult(AccountStatus Status, Wearer? Wearer, IReadOnlyList<string> Problems)
{
    public static AccountResult Ok(Wearer wearer) => new(AccountStatus.Ok, wearer, []);
    public static AccountResult Invalid(IReadOnlyList<string> problems) => new(AccountStatus.Invalid, null, problems);
    public static AccountResult Conflict(string problem) => new(AccountStatus.Conflict, null, [problem]);
}

/// <param name="Stamp">The account's new security stamp; null when the password was not changed.</param>
/// <param name="Problems">Why not, for the wearer.</param>
public sealed record PasswordChange(string? Stamp, IReadOnlyList<string> Problems)
{
    public bool Succeeded => Stamp is not null;
    public static PasswordChange Refused(string problem) => new(null, [problem]);
}

/// <param name="Outcome">Null when the device id itself was not valid.</param>
/// <param name="Error">Why it failed, for the wearer; null on success.</param>
public sealed record ClaimResult(ClaimOutcome? Outcome, string? Error)
{
    public bool Succeeded => Outcome is ClaimOutcome.Claimed or ClaimOutcome.AlreadyYours;
}
