using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PostureSense.Server.Accounts;
using PostureSense.Server.Configuration;
using PostureSense.Server.Health;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;
using PostureSense.Storage;
using PostureSense.Storage.DeadLetters;
using PostureSense.Storage.History;
using PostureSense.Storage.Influx;
using PostureSense.Server.Workers;

namespace PostureSense.Server.Hosting;

/// <summary>
/// The server's composition, in one place: what each part is made of and which events join them.
/// Hosted services start in the order they are registered here (broker, ingestion, the MQTT link,
/// config sync, alerts; the web server last) and stop in the reverse order.
/// </summary>
public static partial class PostureSenseServices
{
    /// <param name="clock">The domain clock (<see cref="PostureClock"/>): the wearer's time, real or not.</param>
    public static IServiceCollection AddPostureSense(this IServiceCollection services, ServerOptions options, TimeProvider clock,
        OpenedStores opened) =>
        services
            .AddPostureBasics(options, clock)
            .AddPostureStorage(opened)
            .AddPostureAccounts(opened, options)
            .AddPostureBroker(options)
            .AddPostureIngestion(options)
            .AddPostureCoaching(options)
            .AddPostureAlerts(options)
            .AddPostureHealth();

    /// <summary>Options, the two clocks, counters and instruments, and what workers share.</summary>
    public static IServiceCollection AddPostureBasics(this IServiceCollection services, ServerOptions options, TimeProvider clock)
    {
        services.AddSingleton(options);
        services.AddKeyedSingleton(PostureClock.Key, clock);
        // Frameworks (Kestrel, health checks, a cluster's timers) keep real time whatever the wearer's clock does.
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(sp => new PostureMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(sp => new IngestionStats(sp.GetRequiredService<PostureMetrics>()));
        services.AddSingleton<WorkerHealth>();
        services.TryAddSingleton(new WorkerRestart());
        return services;
    }

    /// <summary>The time series store: retried writes, over a watch that times every attempt and tells <c>/readyz</c>.</summary>
    public static IServiceCollection AddPostureStorage(this IServiceCollection services, OpenedStores opened)
    {
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<IPostureStore>(sp =>
        {
            var stats = sp.GetRequiredService<IngestionStats>();
            var clock = sp.DomainClock();
            if (opened.Store is InfluxStore influx)
            {
                // So that a partial write's refused message is found and kept (RetryingStore) instead of only counted.
                influx.ThrowOnPartialWrite = true;
                var where = sp.GetRequiredService<ServerOptions>().Store.ToString();
                influx.PointsDropped += d => stats.Fail(RejectionReasons.StoreDropped,
                    $"InfluxDB refused {d.Dropped?.ToString(CultureInfo.InvariantCulture) ?? "some"} of {d.Sent} points ({(int)d.Status}): {d.Error}", where,
                    clock.GetUtcNow().ToUnixTimeMilliseconds());
            }
            var watched = new WatchedStore(opened.Store, sp.GetRequiredService<StoreHealth>());
            // Whatever the store, refused messages are kept beside the app database: InfluxDB cannot hold what it refuses.
            var deadLetters = DeadLetterFile.Beside(opened.AppDatabase.Path);
            sp.GetRequiredService<PostureMetrics>().DeadLettersKept = () => deadLetters.Count;
            return new RetryingStore(watched, new StoreFailureStats(stats), clock, sp.Logger<RetryingStore>(), deadLetters: deadLetters);
        });
        return services;
    }

    /// <summary>Wearers, their devices and settings; the keys that sign cookies and notification links.</summary>
    public static IServiceCollection AddPostureAccounts(this IServiceCollection services, OpenedStores opened, ServerOptions options)
    {
        services.AddSingleton(_ => opened.AppDatabase);
        services.AddSingleton(_ => opened.Accounts);
        services.AddSingleton(_ => opened.Settings);
        // Wrong pairing codes are counted in real time, like sign-in attempts, whatever the wearer's clock does.
        services.AddSingleton(sp => new ClaimLimits(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeviceClaims>();
        // The dashboard's claim form counts wrong codes against the address its circuit came from.
        services.AddHttpContextAccessor();
        // Keys kept beside the app database, so sessions and links survive a restart. Registered
        // after authentication's own data protection, so the cookies are signed with these keys.
        services.AddSingleton<IDataProtectionProvider>(_ => DataProtectionProvider.Create(new DirectoryInfo(options.KeysDirectory),
            protection => protection.SetApplicationName("PostureSense")));
        return services;
    }

    /// <summary>The clock the wearer's time runs on.</summary>
    public static TimeProvider DomainClock(this IServiceProvider services) =>
        services.GetRequiredKeyedService<TimeProvider>(PostureClock.Key);

    static ILogger<T> Logger<T>(this IServiceProvider services) => services.GetRequiredService<ILogger<T>>();
}
