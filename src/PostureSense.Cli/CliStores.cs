using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;
using PostureSense.Storage;

namespace PostureSense.Cli;

/// <summary>
/// Where the data is, named as the server names it: <c>--store</c> (or <c>POSTURESENSE_STORE</c>)
/// and <c>--app-db</c> (or <c>POSTURESENSE_APP_DB</c>), with the server's defaults.
/// </summary>
public static class CliStores
{
    public static StoreLocation Store(string? store, LayeredConfiguration layers, OptionProblems problems) =>
        store is null ? StoreLocation.Default : problems.Check(() => StoreLocation.Parse(store, layers.SourceOf("Store")), StoreLocation.Default);

    public static string AppDatabase(string? appDb, StoreLocation store) => appDb ?? store.DefaultAppDatabase;

    /// <summary>Opens the time series for reading: a SQLite file must exist already (a typo must not make an empty one).</summary>
    public static Task<IPostureStore> OpenExistingAsync(StoreLocation store, CancellationToken cancellationToken)
    {
        if (store.Kind == StoreKind.Sqlite && !File.Exists(store.Target))
            throw new OptionsException($"no database at '{Path.GetFullPath(store.Target)}'; name it with --store sqlite:PATH");
        return PostureStores.OpenAsync(store, TimeProvider.System, cancellationToken: cancellationToken);
    }
}
