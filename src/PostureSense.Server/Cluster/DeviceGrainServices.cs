using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

namespace PostureSense.Server.Cluster;

/// <summary>What a silo needs besides the store and the command publisher to host device grains.</summary>
public static class DeviceGrainServices
{
    /// <summary>
    /// The grains' options (section <see cref="DeviceGrainOptions.Section"/>) and one
    /// <see cref="PromptSender"/> on the domain clock. Expects the store, the command publisher,
    /// the ingestion stats and the domain clock (keyed <see cref="PostureClock.Key"/>) registered;
    /// without a settings source every device is coached on the defaults.
    /// </summary>
    public static IServiceCollection AddDeviceGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceGrainOptions>().Bind(configuration.GetSection(DeviceGrainOptions.Section));
        services.TryAddSingleton<ICoachingSettingsSource>(DefaultCoachingSettings.Instance);
        services.TryAddSingleton(sp => new PromptSender(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<ICommandPublisher>(),
            sp.GetRequiredService<IngestionStats>(), sp.GetRequiredKeyedService<TimeProvider>(PostureClock.Key),
            sp.GetRequiredService<ILogger<PromptSender>>()));
        return services;
    }
}
