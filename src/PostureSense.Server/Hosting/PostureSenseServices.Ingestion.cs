using PostureSense.Accounts;
using PostureSense.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Server.Alerts;
using PostureSense.Server.Broker;
using PostureSense.Server.Clocks;
using PostureSense.Server.Cluster;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Server.History;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;
using PostureSense.Server.Workers;
using PostureSense.Server.Eviction;

namespace PostureSense.Server.Hosting;

public static partial class PostureSenseServices
{
    /// <summary>
    /// The embedded broker, unless an external one is given. It hands devices' messages to
    /// ingestion itself (<see cref="EmbeddedIntake"/>), so that it acknowledges them only once stored.
    /// </summary>
    public static IServiceCollection AddPostureBroker(this IServiceCollection services, ServerOptions options)
    {
        if (options.Mqtt is not null) return services;
        services.AddSingleton<IPublishIntake>(sp => new EmbeddedIntake(sp.GetRequiredService<IngestionQueue>()));
        services.AddSingleton(sp =>
        {
            var access = new BrokerAccess(sp.GetRequiredService<AccountService>().Devices, new ServerCredential(), options.AllowUnprovisionedDevices);
            return new EmbeddedBroker(options.EmbeddedBrokerAddress, options.EmbeddedBrokerPort, sp.GetRequiredService<IngestionStats>(),
                sp.DomainClock(), sp.Logger<EmbeddedBroker>(), access, options.EmbeddedBrokerMaxPacketSize, options.EmbeddedBrokerTls,
                sp.GetRequiredService<IPublishIntake>());
        });
        services.AddHostedService(sp => new EmbeddedBrokerService(sp.GetRequiredService<EmbeddedBroker>()));
        return services;
    }

    /// <summary>From the broker to the store: the MQTT link, the queue and its two workers, the pipeline.</summary>
    public static IServiceCollection AddPostureIngestion(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<DeviceClocks>();
        services.AddSingleton(sp =>
        {
            var clocks = sp.GetRequiredService<DeviceClocks>();
            var pipeline = new IngestionPipeline(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<CoachingService>(),
                sp.GetRequiredService<IngestionStats>(), sp.DomainClock(), sp.Logger<IngestionPipeline>(),
                cluster: options.Cluster is null ? null : sp.GetRequiredService<GrainHandoff>(), clocks: clocks);
            var summaries = sp.GetRequiredService<DaySummaries>();
            pipeline.FramesStored += summaries.FramesStored;
            // The ack was stored on our clock: its day is that time's.
            pipeline.AckReceived += (id, ack) => summaries.AckStored(id, clocks.ToOurTime(id, ack.Ts));
            return pipeline;
        });
        services.AddSingleton(sp =>
        {
            var queue = new IngestionQueue(sp.GetRequiredService<IngestionPipeline>(), sp.Logger<IngestionQueue>(),
                sp.GetRequiredService<IPostureStore>().WritesInFlight);
            sp.GetRequiredService<PostureMetrics>().QueueDepth = () => queue.Waiting;
            return queue;
        });
        services.AddHostedService<IngestionStoreWorker>();
        services.AddHostedService<IngestionCoachWorker>();

        services.AddSingleton(sp =>
        {
            var broker = options.Mqtt ?? EmbeddedAddress(options, sp.GetRequiredService<EmbeddedBroker>());
            var link = new BrokerConnectionOptions(broker, options.ClientId, options.MqttCa, SessionExpiry: options.SessionExpiry);
            // Only an external broker keeps the session across a restart of the server: the embedded one lives and dies with it.
            var continuity = options.Mqtt is null ? null : new SessionContinuity(options.SessionStatePath, $"{options.ClientId}@{broker.Host}:{broker.Port}",
                options.SessionExpiry, TimeProvider.System, sp.Logger<SessionContinuity>(), sp.GetRequiredService<PostureMetrics>());
            // On the embedded broker the server's client only publishes: devices' messages reach
            // ingestion from inside the broker, and a subscription would take each of them twice.
            IReadOnlyList<string> subscriptions = options.Mqtt is null ? [] : IngestionPipeline.SubscriptionsFor(options.MqttShareGroup);
            return new BrokerConnection(link, subscriptions, sp.GetRequiredService<IngestionQueue>(),
                sp.GetRequiredService<IngestionStats>(), sp.DomainClock(), sp.Logger<BrokerConnection>(),
                sp.GetRequiredService<WorkerHealth>(), sp.GetRequiredService<WorkerRestart>(), continuity);
        });
        services.AddHostedService<DeferredHostedService<BrokerConnection>>();
        services.AddSingleton<LinkPublisher>();
        services.AddSingleton<ICommandPublisher>(sp => sp.GetRequiredService<LinkPublisher>());
        services.AddSingleton<IConfigPublisher>(sp => sp.GetRequiredService<LinkPublisher>());

        services.AddSingleton(sp => new ConfigSync(sp.GetRequiredService<SettingsService>(), sp.GetRequiredService<AccountService>(),
            sp.GetRequiredService<IConfigPublisher>(), sp.DomainClock(), sp.Logger<ConfigSync>(),
            sp.GetRequiredService<WorkerHealth>(), sp.GetRequiredService<WorkerRestart>()));
        services.AddHostedService(sp => sp.GetRequiredService<ConfigSync>());
        return services;
    }

    /// <summary>Detectors and prompts per device, and the wearer's days built from the store.</summary>
    public static IServiceCollection AddPostureCoaching(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<SettingsService>();
            var coaching = new CoachingService(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<ICommandPublisher>(),
                sp.GetRequiredService<IngestionStats>(), sp.DomainClock(), sp.Logger<CoachingService>(),
                sharedIngestion: options.MqttShareGroup is not null, settings: settings);
            settings.DeviceSettingsChanged += coaching.Reconfigure;
            coaching.PromptSent += sp.GetRequiredService<AlertDispatcher>().OnPromptSent;
            sp.GetRequiredService<PostureMetrics>().HeldDevices = () => coaching.HeldDevices;
            return coaching;
        });
        services.AddSingleton(sp => new DayReports(sp.GetRequiredService<IPostureStore>(), sp.DomainClock(),
            sp.GetRequiredService<CoachingService>().SettingsFor, sp.GetRequiredService<SettingsService>().QuietHoursZoneFor));
        services.AddSingleton(sp =>
        {
            var summaries = new DaySummaries(sp.GetRequiredService<DayReports>(), sp.DomainClock());
            sp.GetRequiredService<SettingsService>().DeviceSettingsChanged += summaries.Forget;
            return summaries;
        });
        services.AddSingleton(sp => new IdleDeviceSweep(sp.GetRequiredService<CoachingService>(), sp.GetRequiredService<DaySummaries>(),
            options.DeviceIdle, sp.DomainClock(), sp.Logger<IdleDeviceSweep>(), sp.GetRequiredService<WorkerHealth>(), sp.GetRequiredService<WorkerRestart>(),
            sp.GetRequiredService<DeviceClocks>()));
        services.AddHostedService(sp => sp.GetRequiredService<IdleDeviceSweep>());
        services.AddSingleton(sp => new LiveStates(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<SettingsService>(), sp.DomainClock(),
            sp.GetRequiredService<DeviceClocks>()));
        return services;
    }

    /// <summary>The embedded broker as the server's own client reaches it: with the credential of this process.</summary>
    static MqttBrokerAddress EmbeddedAddress(ServerOptions options, EmbeddedBroker broker) =>
        new(EmbeddedConnectHost(options), broker.Port, broker.ServerCredential.UserName, broker.ServerCredential.Password);

    /// <summary>The embedded broker bound to "any" is still reached over loopback from inside the process.</summary>
    static string EmbeddedConnectHost(ServerOptions options)
    {
        var address = options.EmbeddedBrokerAddress;
        if (address.Equals(System.Net.IPAddress.Any)) return System.Net.IPAddress.Loopback.ToString();
        if (address.Equals(System.Net.IPAddress.IPv6Any)) return System.Net.IPAddress.IPv6Loopback.ToString();
        return address.ToString();
    }
}
