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
        Assert.True(accounts.Owns(wearer.Id, "desk-3"));
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

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { _folder.Delete(recursive: true); }
        catch (IOException) { }
    }
}
