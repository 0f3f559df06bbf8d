using PostureSense.Core.Contract;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Server.Accounts;

namespace PostureSense.Server.Tests.Accounts;

/// <summary>
/// Claiming a device takes the pairing code it shows. A wrong code, an unknown device and another
/// wearer's device get one and the same answer, and wrong codes are limited per account and per
/// address (on a fake clock), never per device, so an attacker cannot lock the owner out.
/// </summary>
public sealed class PairingTests : IAsyncLifetime
{
    readonly TempDirectory _dir = new();
    readonly FakeTimeProvider _limitsClock = new(TestFrames.Morning);
    ServerHarness _harness = null!;
    HttpClient _attacker = null!;
    long _attackerId;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const string WrongCode = "ABCD-EFGH-JKMN";

    public async ValueTask InitializeAsync()
    {
        _harness = await ServerHarness.StartAsync(_dir.File("pairing.db"),
            configureServices: services => services.AddSingleton(new ClaimLimits(_limitsClock)));
        _attackerId = await _harness.AddWearerAsync("attacker@example.org", "attacker's password", []);
        _attacker = _harness.NewClient();
        await _harness.SignInAsync(_attacker, "attacker@example.org", "attacker's password");
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        _dir.Dispose();
    }

    DeviceClaims Claims => _harness.Server.Services.GetRequiredService<DeviceClaims>();

    [Fact]
    public async Task A_claim_needs_the_devices_pairing_code()
    {
        var code = (await _harness.ProvisionAsync("desk-5")).PairingCode;

        using var none = await _harness.Http.PostAsync("/api/devices/desk-5/claim", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("pairing code", await none.Content.ReadAsStringAsync(Ct));
        using var wrong = await _harness.ClaimAsync(_harness.Http, "desk-5", WrongCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.DoesNotContain("desk-5", await _harness.Http.GetStringAsync("/api/me", Ct));

        // Typed as people type it: lower case, without the dashes.
        using var right = await _harness.ClaimAsync(_harness.Http, "desk-5", code.Replace("-", "").ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        using var again = await _harness.ClaimAsync(_harness.Http, "desk-5", code);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("desk-5", await _harness.Http.GetStringAsync("/api/me", Ct));
    }

    [Fact]
    public async Task Another_wearers_device_answers_exactly_like_a_wrong_code_or_no_device()
    {
        // desk-1 is the harness wearer's; the attacker even has its code.
        var owned = (await _harness.ProvisionAsync("desk-1")).PairingCode;
        await _harness.ProvisionAsync("desk-6");

        using var taken = await _harness.ClaimAsync(_attacker, "desk-1", owned);
        using var wrong = await _harness.ClaimAsync(_attacker, "desk-6", WrongCode);
        using var unknown = await _harness.ClaimAsync(_attacker, "desk-404", WrongCode);

        Assert.Equal(HttpStatusCode.Forbidden, taken.StatusCode);
        Assert.Equal(wrong.StatusCode, taken.StatusCode);
        Assert.Equal(unknown.StatusCode, taken.StatusCode);
        var bodies = await Task.WhenAll(new[] { taken, wrong, unknown }.Select(r => r.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(bodies[1], bodies[0]);
        Assert.Equal(bodies[2], bodies[0]);
        Assert.Equal(wrong.Content.Headers.ContentType, taken.Content.Headers.ContentType);
    }

    [Fact]
    public async Task The_servers_ids_cannot_be_claimed()
    {
        using var reserved = await _harness.ClaimAsync(_attacker, "posturesense-server-1", WrongCode);
        Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode);
        await Assert.ThrowsAsync<ArgumentException>(() => _harness.Server.Accounts.Devices.ProvisionAsync(DeviceId.Parse("posturesense-server-1"), cancellationToken: Ct));
    }

    [Fact]
    public async Task Wrong_codes_are_limited_per_account_until_the_window_ends()
    {
        var code = (await _harness.ProvisionAsync("desk-7")).PairingCode;
        for (var i = 0; i < ClaimLimits.PerAccount; i++)
        {
            using var wrong = await _harness.ClaimAsync(_attacker, "desk-7", WrongCode);
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }
        // Even the right code waits: the account has used up its tries.
        using var limited = await _harness.ClaimAsync(_attacker, "desk-7", code);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);

        // Another account from the same address still may.
        using var owner = await _harness.ClaimAsync(_harness.Http, "desk-7", code);
        Assert.Equal(HttpStatusCode.Created, owner.StatusCode);

        _limitsClock.Advance(ClaimLimits.Window);
        using var later = await _harness.ClaimAsync(_attacker, "desk-6", WrongCode);
        Assert.Equal(HttpStatusCode.Forbidden, later.StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_are_limited_per_address_across_accounts()
    {
        var attackerAddress = IPAddress.Parse("203.0.113.7");
        var accounts = new List<long>();
        for (var a = 0; a * ClaimLimits.PerAccount < ClaimLimits.PerAddress; a++)
            accounts.Add(await _harness.AddWearerAsync($"sock{a}@example.org", "sock puppet password", []));
        foreach (var account in accounts)
            for (var i = 0; i < ClaimLimits.PerAccount; i++)
                Assert.Equal(403, (await Claims.ClaimAsync(account, attackerAddress, "desk-1", WrongCode, Ct)).Status);

        var fresh = await _harness.AddWearerAsync("fresh@example.org", "fresh puppet password", []);
        Assert.Equal(429, (await Claims.ClaimAsync(fresh, attackerAddress, "desk-8", WrongCode, Ct)).Status);

        // The device was never locked: its wearer, from their own address, claims it at once.
        var code = (await _harness.ProvisionAsync("desk-8")).PairingCode;
        var owner = await Claims.ClaimAsync(_harness.WearerId, IPAddress.Parse("198.51.100.20"), "desk-8", code, Ct);
        Assert.Equal(201, owner.Status);

        _limitsClock.Advance(ClaimLimits.Window);
        Assert.Equal(403, (await Claims.ClaimAsync(fresh, attackerAddress, "desk-8", WrongCode, Ct)).Status);
    }

    [Fact]
    public async Task The_owner_claims_after_an_attackers_many_wrong_tries_on_the_same_device()
    {
        var code = (await _harness.ProvisionAsync("desk-9")).PairingCode;
        for (var i = 0; i < ClaimLimits.PerAccount + 3; i++)
            await Claims.ClaimAsync(_attackerId, IPAddress.Parse("203.0.113.9"), "desk-9", PostureSense.Core.Device.PairingCode.Generate(), Ct);

        using var owner = await _harness.ClaimAsync(_harness.Http, "desk-9", code);
        Assert.Equal(HttpStatusCode.Created, owner.StatusCode);
    }

    [Fact]
    public async Task The_devices_form_claims_with_the_code_and_shows_the_same_refusal()
    {
        var code = (await _harness.ProvisionAsync("desk-10")).PairingCode;
        using var wrong = await PageForms.PostAsync(_attacker, "/devices", ("deviceId", "desk-10"), ("pairingCode", WrongCode));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Contains("no device waiting to be claimed", await wrong.Content.ReadAsStringAsync(Ct));

        using var right = await PageForms.PostAsync(_attacker, "/devices", ("deviceId", "desk-10"), ("pairingCode", code));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Contains("href=\"/devices/desk-10\"", await _attacker.GetStringAsync("/", Ct));
    }
}
