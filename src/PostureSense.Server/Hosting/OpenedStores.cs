using Microsoft.Extensions.Logging;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Configuration;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server.Hosting;

/// <summary>
/// What must be opened before the host is built: the time series store and the app database (with
/// the accounts and settings read from it) need asynchronous work (schema, loading) that a
/// constructor cannot do. Registered as they are; the container disposes them.
/// </summary>
public sealed record OpenedStores(IPostureStore Store, AppDatabase AppDatabase, AccountService Accounts, SettingsService Settings)
    : IAsyncDisposable
{
    public static async Task<OpenedStores> OpenAsync(ServerOptions options, TimeProvider clock, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var log = loggers.CreateLogger<PostureServer>();
        var store = await PostureStores.OpenAsync(options.Store, clock, loggers, cancellationToken);
        try
        {
            log.LogInformation("Storing to {Store}", options.Store);
            var appDb = await AppDatabase.OpenAsync(options.AppDatabasePath, cancellationToken);
            try
            {
                var accounts = await AccountService.OpenAsync(appDb, clock, loggers.CreateLogger<AccountService>(), cancellationToken);
                var settings = await SettingsService.OpenAsync(appDb, accounts, clock, loggers.CreateLogger<SettingsService>(), cancellationToken);
                log.LogInformation("Accounts and settings in {Path}", appDb.Path);
                return new OpenedStores(store, appDb, accounts, settings);
            }
            catch
            {
                await appDb.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Only when the host was never built: otherwise its container owns them.</summary>
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await AppDatabase.DisposeAsync();
    }
}
