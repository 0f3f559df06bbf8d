using PostureSense.Accounts;
using PostureSense.Cli.Devices;
using PostureSense.Core.Configuration;

namespace PostureSense.Cli.Tests;

/// <summary><c>posturesense device</c>: provisioning prints the secrets once and the app database keeps only what checks them.</summary>
public sealed class DeviceTests : IDisposable
{
    readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("posturesense-devices-");
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    string AppDb => Path.Combine(_folder.FullName, "app.db");

    static string Printed(string output, string label) =>
        output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();

    [Fact]
    public async Task Add_prints_a_password_and_the_devices_code_which_then_let_it_in_and_claim_it()
    {
        var output = new StringWriter();
        Assert.Equal(0, await DeviceCommand.RunAsync(["add", "desk-7", "--pairing-code", "kqbm 9q7j wh6t", "--app-db", AppDb], output, Ct));
        var password = Printed(output.ToString(), "broker password");
        Assert.Equal("KQBM-9Q7J-WH6T", Printed(output.ToString(), "pairing code"));
        // From another machine the embedded broker takes devices over TLS only: the hint must not send them to plain 1883.
        Assert.Contains($"mqtts://desk-7:{password}@SERVER:8883 with --mqtt-ca", output.ToString(), StringComparison.Ordinal);

        await using var db = await AppDatabase.OpenAsync(AppDb, Ct);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccountService>.Instance, Ct);
        Assert.Equal(PostureSense.Accounts.Devices.BrokerLogin.Accepted, await accounts.Devices.CheckPasswordAsync(PostureSense.Core.Contract.DeviceId.Parse("desk-7"), password, Ct));
        Assert.True(await accounts.Devices.PairingMatchesAsync(PostureSense.Core.Contract.DeviceId.Parse("desk-7"), "KQBM-9Q7J-WH6T", Ct));
        var stored = Assert.Single(await accounts.Devices.ListAsync(Ct));
        Assert.DoesNotContain(password, stored.PasswordHash);
        Assert.DoesNotContain("KQBM", stored.PairingHash);

        var list = new StringWriter();
        Assert.Equal(0, await DeviceCommand.RunAsync(["list", "--app-db", AppDb], list, Ct));
        Assert.StartsWith("desk-7\t", list.ToString());
    }

    [Fact]
    public async Task Without_a_code_add_makes_one_and_adding_again_replaces_the_password()
    {
        var first = new StringWriter();
        await DeviceCommand.RunAsync(["add", "desk-8", "--app-db", AppDb], first, Ct);
        Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", Printed(first.ToString(), "pairing code"));
        var second = new StringWriter();
        await DeviceCommand.RunAsync(["add", "desk-8", "--app-db", AppDb], second, Ct);

        await using var db = await AppDatabase.OpenAsync(AppDb, Ct);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccountService>.Instance, Ct);
        Assert.Equal(PostureSense.Accounts.Devices.BrokerLogin.Refused,
            await accounts.Devices.CheckPasswordAsync(PostureSense.Core.Contract.DeviceId.Parse("desk-8"), Printed(first.ToString(), "broker password"), Ct));
        Assert.Equal(PostureSense.Accounts.Devices.BrokerLogin.Accepted,
            await accounts.Devices.CheckPasswordAsync(PostureSense.Core.Contract.DeviceId.Parse("desk-8"), Printed(second.ToString(), "broker password"), Ct));

        Assert.Equal(0, await DeviceCommand.RunAsync(["remove", "desk-8", "--app-db", AppDb], TextWriter.Null, Ct));
        Assert.Equal(PostureSense.Accounts.Devices.BrokerLogin.NotProvisioned, await accounts.Devices.CheckPasswordAsync(PostureSense.Core.Contract.DeviceId.Parse("desk-8"), "x", Ct));
    }

    [Theory]
    [InlineData(new[] { "add", "posturesense-server-1" }, "reserved")]
    [InlineData(new[] { "add", "Desk_1" }, "not a device id")]
    [InlineData(new[] { "add", "Desk_1" }, "'Desk_1' is not a device id; use 1-63 lowercase letters, digits or '-'")]
    [InlineData(new[] { "remove", "Desk_1" }, "no provisioned device 'Desk_1'")]
    [InlineData(new[] { "add", "desk-1", "--pairing-code", "123" }, "not a pairing code")]
    [InlineData(new[] { "remove", "desk-404" }, "no provisioned device 'desk-404'")]
    [InlineData(new[] { "rename", "desk-1" }, "unknown device command 'rename'")]
    public async Task Bad_requests_are_refused_with_a_reason(string[] args, string reason)
    {
        var error = await Assert.ThrowsAsync<OptionsException>(() => DeviceCommand.RunAsync([.. args, "--app-db", AppDb], TextWriter.Null, Ct));
        Assert.Contains(reason, error.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); }
        catch (IOException) { }
    }
}
