using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Alerts;
using PostureSense.Server.Broker;
using PostureSense.Server.Configuration;
using PostureSense.Server.Health;
using PostureSense.Server.History;
using PostureSense.Server.Metrics;
using PostureSense.Server.Outbound;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;
using PostureSense.Server.Workers;

namespace PostureSense.Server.Hosting;

public static partial class PostureSenseServices
{
    /// <summary>Prompts to the wearer's browsers and phones, and their answers.</summary>
    public static IServiceCollection AddPostureAlerts(this IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<AlertHub>();
        services.AddSingleton(sp => new AlertLinkSigner(sp.GetRequiredService<IDataProtectionProvider>(), options.PublicUrl, sp.DomainClock()));
        // Real DNS unless a test plays one that changes its answers.
        services.TryAddSingleton<HostResolver>(OutboundTargets.SystemResolver);
        services.AddSingleton(sp =>
        {
            var targets = new OutboundTargets(options.AlertDelivery.Allow, () => OwnServices(sp, options),
                sp.GetRequiredService<HostResolver>(), sp.GetRequiredService<PostureMetrics>());
            // Saving settings checks alert URLs with the same rules as sending does.
            sp.GetRequiredService<SettingsService>().AlertTargets = targets;
            return targets;
        });
        services.AddSingleton(sp => new AlertDispatcher(sp.GetRequiredService<AccountService>(), sp.GetRequiredService<SettingsService>(),
            sp.GetRequiredService<AlertHub>(), sp.GetRequiredService<AlertLinkSigner>(), options.AlertDelivery,
            sp.GetRequiredService<OutboundTargets>(), sp.GetRequiredService<PostureMetrics>(), sp.Logger<AlertDispatcher>(),
            sp.GetRequiredService<WorkerHealth>(), sp.GetRequiredService<WorkerRestart>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        services.AddSingleton<IAlertAnnouncer>(sp => sp.GetRequiredService<AlertDispatcher>());
        services.AddSingleton(sp => new SnoozeReminder(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<IAlertAnnouncer>(), sp.DomainClock()));
        // A cluster registers its own first (AddPostureCluster): reminders that outlive a node.
        services.TryAddSingleton<ISnoozeReminders>(sp => new InMemorySnoozeReminders(sp.GetRequiredService<SnoozeReminder>(),
            sp.DomainClock(), sp.Logger<InMemorySnoozeReminders>()));
        services.AddSingleton(sp =>
        {
            var answers = new PromptActions(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<SettingsService>(),
                sp.GetRequiredService<SnoozeReminder>(), sp.GetRequiredService<ISnoozeReminders>(), sp.DomainClock(), sp.Logger<PromptActions>());
            var summaries = sp.GetRequiredService<DaySummaries>();
            answers.Answered += ack => summaries.AckStored(ack.DeviceId, ack.Ts);
            return answers;
        });
        return services;
    }

    /// <summary>
    /// The deployment's own services, which no alert may reach: the broker, the InfluxDB store and
    /// the server's own listeners, with the ports bound at start (when 0 was asked).
    /// </summary>
    static IEnumerable<ServiceEndpoint> OwnServices(IServiceProvider sp, ServerOptions options)
    {
        if (options.Mqtt is { } mqtt) yield return new ServiceEndpoint(mqtt.Host, mqtt.Port);
        else yield return new ServiceEndpoint(options.EmbeddedBrokerAddress.ToString(), sp.GetService<EmbeddedBroker>()?.Port ?? options.EmbeddedBrokerPort);
        if (options.Mqtt is null && options.EmbeddedBrokerTls is { } tls)
            yield return new ServiceEndpoint(tls.Address.ToString(), sp.GetService<EmbeddedBroker>()?.TlsPort ?? tls.Port);
        if (options.Store.Influx is { } influx) yield return new ServiceEndpoint(OutboundTargets.HostOf(influx.BaseUrl), influx.BaseUrl.Port);
        yield return new ServiceEndpoint(options.Http.Address.ToString(), options.Http.Port);
        yield return new ServiceEndpoint(options.Management.Address.ToString(), options.Management.Port);
        foreach (var bound in sp.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            if (Uri.TryCreate(bound, UriKind.Absolute, out var url)) yield return new ServiceEndpoint(OutboundTargets.HostOf(url), url.Port);
    }

    /// <summary><c>/healthz</c>, <c>/readyz</c> (broker, store, workers) and the meter exported for <c>/metrics</c>.</summary>
    public static IServiceCollection AddPostureHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<BrokerCheck>("broker", tags: [ManagementEndpoints.ReadyTag])
            .AddCheck<StoreCheck>("store", tags: [ManagementEndpoints.ReadyTag])
            .AddCheck<WorkersCheck>("workers", tags: [ManagementEndpoints.ReadyTag]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PostureMetrics.MeterName).AddPrometheusExporter());
        return services;
    }
}
