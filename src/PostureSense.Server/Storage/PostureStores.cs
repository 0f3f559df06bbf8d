using PostureSense.Core.Configuration;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Storage;

/// <summary>Opens the store a <see cref="StoreLocation"/> names.</summary>
public static class PostureStores
{
    public static async Task<IPostureStore> OpenAsync(StoreLocation location, TimeProvider clock, CancellationToken cancellationToken = default) =>
        location.Kind switch
        {
            StoreKind.Sqlite => await SqliteStore.OpenAsync(location.Target, clock, cancellationToken),
            _ => throw new OptionsException($"store kind {location.Kind} is not supported"),
        };
}
