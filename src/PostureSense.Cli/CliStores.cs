using PostureSense.Core.Configuration;
using PostureSense.Storage;

namespace PostureSense.Cli;

/// <summary>
/// Where the data is, named as the server names it: <c>--store</c> (or <c>POSTURESENSE_STORE</c>)
/// and <c>--app-db</c> (or <c>POSTURESENSE_APP_DB</c>), with the server's defaults.
/// </summary>
public static class CliStores
{
    public static StoreLocation Store(CommandLine options)
    {
        var value = options.Optional("store") ?? NonEmpty(Environment.GetEnvironmentVariable("POSTURESENSE_STORE"));
        return value is null ? StoreLocation.Default : StoreLocation.Parse(value, options.Optional("store") is null ? "POSTURESENSE_STORE" : "--store");
    }

    public static string AppDatabase(CommandLine options, StoreLocation store) =>
        options.Optional("app-db") ?? NonEmpty(Environment.GetEnvironmentVariable("POSTURESENSE_APP_DB")) ?? store.DefaultAppDatabase;

    /// <summary>Opens the time series for reading: a SQLite file must exist already (a typo must not make an empty one).</summary>
    public static Task<IPostureStore> OpenExistingAsync(StoreLocation store, CancellationToken cancellationToken)
    {
        if (store.Kind == StoreKind.Sqlite && !File.Exists(store.Target))
            throw new OptionsException($"no database at '{Path.GetFullPath(store.Target)}'; name it with --store sqlite:PATH");
        return PostureStores.OpenAsync(store, TimeProvider.System, cancellationToken);
    }

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
