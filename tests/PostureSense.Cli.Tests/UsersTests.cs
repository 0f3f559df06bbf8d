using PostureSense.Core.Contract;
using PostureSense.Accounts;
using PostureSense.Cli.Users;
using PostureSense.Core.Configuration;

namespace PostureSense.Cli.Tests;

/// <summary><c>posturesense users</c>: accounts made from the shell land in the app database the server signs in against.</summary>
public sealed class UsersTests : IDisposable
{
    readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("posturesense-users-");
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    string AppDb => Path.Combine(_folder.FullName, "app.db");

    [Fact]
    public async Task An_account_added_and_given_a_device_can_sign_in_and_owns_it()
    {
        var output = new StringWriter();
        Assert.Equal(0, await UsersCommand.RunAsync(["add", "--email", "ana@example.org", "--app-db", AppDb],
            new StringReader("a good long password\n"), output, Ct));
        Assert.Equal(0, await UsersCommand.RunAsync(["claim", "--email", "ana@example.org", "--device", "desk-3", "--app-db", AppDb],
            TextReader.Null, output, Ct));
        Assert.Equal(0, await UsersCommand.RunAsync(["list", "--app-db", AppDb], TextReader.Null, output, Ct));

        Assert.Contains("ana@example.org\tdesk-3", output.ToString());
        await using var db = await AppDatabase.OpenAsync(AppDb, Ct);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccountService>.Instance, Ct);
        var wearer = await accounts.SignInAsync("ana@example.org", "a good long password", Ct);
        Assert.NotNull(wearer);
        Assert.True(accounts.Owns(wearer.Id, DeviceId.Parse("desk-3")));
    }

    [Theory]
    [InlineData(new[] { "add", "--email", "not-an-email" }, "good password here", "email must look like name@example.org")]
    [InlineData(new[] { "add", "--email", "b@example.org" }, "short", "password must be at least 8 characters")]
    [InlineData(new[] { "add" }, "good password here", "--email is required")]
    [InlineData(new[] { "claim", "--email", "nobody@example.org", "--device", "desk-1" }, "", "no account for nobody@example.org")]
    [InlineData(new[] { "remove", "--email", "b@example.org" }, "", "unknown users command 'remove'")]
    [InlineData(new[] { "add", "--email", "b@example.org", "--password", "x" }, "", "unknown option '--password'")]
    public async Task Bad_requests_are_refused_with_a_reason(string[] args, string stdin, string reason)
    {
        var error = await Assert.ThrowsAsync<OptionsException>(() =>
            UsersCommand.RunAsync([.. args, "--app-db", AppDb], new StringReader(stdin + "\n"), TextWriter.Null, Ct));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task A_device_already_owned_cannot_be_given_to_someone_else()
    {
        foreach (var email in new[] { "a@example.org", "b@example.org" })
            await UsersCommand.RunAsync(["add", "--email", email, "--app-db", AppDb], new StringReader("long enough pass\n"), TextWriter.Null, Ct);
        await UsersCommand.RunAsync(["claim", "--email", "a@example.org", "--device", "desk-1", "--app-db", AppDb], TextReader.Null, TextWriter.Null, Ct);

        var error = await Assert.ThrowsAsync<OptionsException>(() =>
            UsersCommand.RunAsync(["claim", "--email", "b@example.org", "--device", "desk-1", "--app-db", AppDb], TextReader.Null, TextWriter.Null, Ct));
        Assert.Contains("device 'desk-1' belongs to another wearer", error.Message);
    }

    [Fact]
    public async Task A_reset_sets_the_password_read_from_stdin_and_ends_the_accounts_sessions()
    {
        await UsersCommand.RunAsync(["add", "--email", "ana@example.org", "--app-db", AppDb], new StringReader("a good long password\n"), TextWriter.Null, Ct);
        var before = await StampAsync("ana@example.org");

        var output = new StringWriter();
        Assert.Equal(0, await UsersCommand.RunAsync(["reset-password", "--email", "ana@example.org", "--app-db", AppDb],
            new StringReader("the operator's new one\n"), output, Ct));

        Assert.Contains("New password set for ana@example.org", output.ToString());
        Assert.DoesNotContain("the operator's new one", output.ToString());
        await using var db = await AppDatabase.OpenAsync(AppDb, Ct);
        var accounts = await OpenAsync(db);
        Assert.Null(await accounts.SignInAsync("ana@example.org", "a good long password", Ct));
        Assert.NotNull(await accounts.SignInAsync("ana@example.org", "the operator's new one", Ct));
        // A session carries the stamp it was signed with; the server ends every one whose stamp is not the account's.
        Assert.NotEqual(before, await StampAsync("ana@example.org"));
    }

    [Fact]
    public async Task A_reset_without_a_password_on_stdin_makes_one_up_and_prints_it()
    {
        await UsersCommand.RunAsync(["add", "--email", "ana@example.org", "--app-db", AppDb], new StringReader("a good long password\n"), TextWriter.Null, Ct);
        var output = new StringWriter();
        Assert.Equal(0, await UsersCommand.RunAsync(["reset-password", "--email", "ana@example.org", "--app-db", AppDb], TextReader.Null, output, Ct));

        var printed = output.ToString().Split('\n')[0].Split(": ")[1].Trim();
        Assert.Equal(20, printed.Length);
        await using var db = await AppDatabase.OpenAsync(AppDb, Ct);
        Assert.NotNull(await (await OpenAsync(db)).SignInAsync("ana@example.org", printed, Ct));

        var error = await Assert.ThrowsAsync<OptionsException>(() =>
            UsersCommand.RunAsync(["reset-password", "--email", "nobody@example.org", "--app-db", AppDb], TextReader.Null, TextWriter.Null, Ct));
        Assert.Contains("no account for nobody@example.org", error.Message);
    }

    [Fact]
    public async Task An_account_is_made_an_operator_and_back()
    {
        await UsersCommand.RunAsync(["add", "--email", "ops@example.org", "--app-db", AppDb], new StringReader("a good long password\n"), TextWriter.Null, Ct);
        Assert.False(await IsOperatorAsync("ops@example.org"));
        Assert.Equal(0, await UsersCommand.RunAsync(["grant-operator", "--email", "OPS@example.org", "--app-db", AppDb], TextReader.Null, TextWriter.Null, Ct));
        Assert.True(await IsOperatorAsync("ops@example.org"));
        Assert.Equal(0, await UsersCommand.RunAsync(["revoke-operator", "--email", "ops@example.org", "--app-db", AppDb], TextReader.Null, TextWriter.Null, Ct));
        Assert.False(await IsOperatorAsync("ops@example.org"));

        var error = await Assert.ThrowsAsync<OptionsException>(() =>
            UsersCommand.RunAsync(["grant-operator", "--email", "nobody@example.org", "--app-db", AppDb], TextReader.Null, TextWriter.Null, Ct));
        Assert.Contains("no account for nobody@example.org", error.Message);
    }

    async Task<WearerSecurity> SecurityAsync(string email)
    {
        await using var db = await AppDatabase.OpenAsync(AppDb, Ct);
        var found = await db.FindWearerAsync(email, Ct);
        return (await db.GetSecurityAsync(found!.Value.Wearer.Id, Ct))!;
    }

    async Task<string> StampAsync(string email) => (await SecurityAsync(email)).Stamp;

    async Task<bool> IsOperatorAsync(string email) => (await SecurityAsync(email)).Operator;

    static Task<AccountService> OpenAsync(AppDatabase db) =>
        AccountService.OpenAsync(db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccountService>.Instance, Ct);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); }
        catch (IOException) { }
    }
}
