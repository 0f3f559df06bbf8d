using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Accounts;

namespace PostureSense.Server.Tests.Accounts;

/// <summary>
/// Several server nodes on one machine share one app database, so a wearer's account, devices and
/// settings are the same whichever node they reach; the nodes may start at the same moment.
/// </summary>
public sealed class SharedAppDatabaseTests : IDisposable
{
    const int Nodes = 8;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static async Task<AppDatabase[]> OpenTogetherAsync(string path) =>
        await Task.WhenAll(Enumerable.Range(0, Nodes).Select(_ => Task.Run(() => AppDatabase.OpenAsync(path, Ct), Ct)));

    [Fact]
    public async Task Nodes_opening_a_new_app_database_together_all_start_and_see_one_set_of_accounts()
    {
        var path = _dir.File("app.db");

        var databases = await OpenTogetherAsync(path);
        try
        {
            var first = await AccountService.OpenAsync(databases[0], TimeProvider.System, NullLogger<AccountService>.Instance, Ct);
            var signedUp = await first.SignUpAsync("ada@example.org", "a long enough password", Ct);
            Assert.Equal(AccountStatus.Ok, signedUp.Status);
            var last = await AccountService.OpenAsync(databases[^1], TimeProvider.System, NullLogger<AccountService>.Instance, Ct);
            Assert.Equal("ada@example.org", (await last.SignInAsync("ada@example.org", "a long enough password", Ct))?.Email);
        }
        finally
        {
            foreach (var db in databases) await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task Nodes_upgrading_an_old_app_database_together_all_start_and_keep_its_accounts()
    {
        var path = _dir.File("old.db");
        // As the first release made it: no security stamp, no operator flag.
        await using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync(Ct);
            await using var cmd = old.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE wearers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, password_hash TEXT NOT NULL, created_ts INTEGER NOT NULL);
                INSERT INTO wearers (email, password_hash, created_ts) VALUES ('old@example.org', 'x', 0);
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        var databases = await OpenTogetherAsync(path);
        try
        {
            var accounts = await AccountService.OpenAsync(databases[3], TimeProvider.System, NullLogger<AccountService>.Instance, Ct);
            Assert.True(await accounts.SetOperatorAsync("old@example.org", true, Ct));
            Assert.Equal(AccountStatus.Ok, (await accounts.SignUpAsync("new@example.org", "a long enough password", Ct)).Status);
        }
        finally
        {
            foreach (var db in databases) await db.DisposeAsync();
        }
    }
}
