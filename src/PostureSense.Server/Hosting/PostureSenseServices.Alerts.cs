using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Alerts;
using PostureSense.Server.Configuration;
using PostureSense.Server.Health;
using PostureSense.Server.History;
using PostureSense.Server.Metrics;
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
        services.AddSingleton(sp => new AlertDispatcher(sp.GetRequiredService<AccountService>(), sp.GetRequiredService<SettingsService>(),
            sp.GetRequiredService<AlertHub>(), sp.GetRequiredService<AlertLinkSigner>(), options.AlertDelivery, sp.Logger<AlertDispatcher>(),
            sp.GetRequiredService<WorkerHealth>(), sp.GetRequiredService<WorkerRestart>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        services.AddSingleton(sp =>
        {
            var answers = new PromptActions(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<SettingsService>(),
                sp.GetRequiredService<AlertDispatcher>(), sp.DomainClock(), sp.Logger<PromptActions>());
            var summaries = sp.GetRequiredService<DaySummaries>();
            answers.Answered += ack => summaries.AckStored(ack.DeviceId, ack.Ts);
            return answers;
        });
        return services;
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
