using Microsoft.Extensions.Logging;
using PostureSense.Core.Configuration;
using PostureSense.Storage.Influx;

namespace PostureSense.Storage;

/// <summary>Opens the store a <see cref="StoreLocation"/> names.</summary>
public static class PostureStores
{
    /// <param name="loggers">For stores that log (InfluxDB retries and dropped points); none logs nothing.</param>
    public static async Task<IPostureStore> OpenAsync(StoreLocation location, TimeProvider clock, ILoggerFactory? loggers = null,
        CancellationToken cancellationToken = default) =>
        location switch
        {
            { Kind: StoreKind.Sqlite } => await SqliteStore.OpenAsync(location.Target, clock, cancellationToken),
            { Kind: StoreKind.InfluxDb, Influx: { } influx } => await InfluxStore.OpenAsync(influx, clock,
                loggers?.CreateLogger<InfluxStore>(), cancellationToken: cancellationToken),
            _ => throw new OptionsException($"store {location} is not supported"),
        };
}
