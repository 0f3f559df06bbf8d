using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using PostureSense.Server.Alerts;
using PostureSense.Server.Cluster;
using PostureSense.Server.Cluster.Alerts;
using PostureSense.Server.Cluster.Snooze;
using PostureSense.Server.Cluster.Sync;
using PostureSense.Accounts;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using StackExchange.Redis;

namespace PostureSense.Server.Hosting;

public static partial class PostureSenseServices
{
    /// <summary>The names every node of a deployment shares: one fleet, one cluster.</summary>
    public const string ClusterName = "posturesense";

    /// <summary>
    /// With <c>--cluster</c>: an Orleans silo in this host, clustered through the given Redis, that
    /// hosts device grains; without, nothing. Registered before the rest of the server, so the silo
    /// is up before ingestion hands it a batch and stops after ingestion has stopped.
    /// </summary>
    public static IHostApplicationBuilder AddPostureCluster(this IHostApplicationBuilder builder, ServerOptions options, ILoggerFactory loggers)
    {
        if (options.Cluster is not { } redis) return builder;
        var listen = options.ClusterListen;
        var siloPort = listen.Port != 0 ? listen.Port : FreePort(listen.Address);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = ClusterName;
                cluster.ServiceId = ClusterName;
            });
            // Nodes only talk silo to silo: ingestion calls grains from inside its own silo, so no gateway.
            silo.Configure<EndpointOptions>(endpoint =>
            {
                endpoint.AdvertisedIPAddress = listen.Address;
                endpoint.SiloPort = siloPort;
                endpoint.GatewayPort = 0;
                endpoint.SiloListeningEndpoint = new IPEndPoint(listen.Address, siloPort);
            });
            if (options.ClusterTls is { } tls)
            {
                // Mutual TLS: each silo shows its certificate, whether it answers or dials, and
                // requires the other's, from the cluster's CA (SiloTrust). Without it, whoever reaches
                // the port could hand device grains made-up frames and read wearers' data.
                var trust = new SiloTrust(tls.Ca, loggers.CreateLogger<SiloTrust>());
                silo.UseTls(tlsOptions =>
                {
                    tlsOptions.LocalCertificate = tls.Certificate;
                    tlsOptions.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    tlsOptions.RemoteCertificateValidation = trust.Accepts;
                });
            }
            silo.UseRedisClustering(clustering => clustering.ConfigurationOptions = RedisConfiguration(redis));
            // Snoozed prompts' reminders live in Redis too, so they outlive the node that set them.
            silo.UseRedisReminderService(reminders => reminders.ConfigurationOptions = RedisConfiguration(redis));
            // Patient enough for a busy 2-core machine (ClusterMembership says why).
            var patience = options.ClusterMembership;
            silo.Configure<ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = patience.ProbeTimeout;
                membership.NumMissedProbesLimit = patience.MissedProbes;
                membership.DeathVoteExpirationTimeout = patience.VoteExpiration;
            });
        });
        var services = builder.Services;
        // The grains coach on each wearer's settings and send through this node's MQTT link
        // (ICommandPublisher); their prompts reach the wearer's open pages and push targets like a single server's.
        services.AddSingleton<ICoachingSettingsSource>(sp => sp.GetRequiredService<SettingsService>());
        services.AddSingleton(sp =>
        {
            var sender = new PromptSender(sp.GetRequiredService<IPostureStore>(), sp.GetRequiredService<ICommandPublisher>(),
                sp.GetRequiredService<IngestionStats>(), sp.DomainClock(), sp.Logger<PromptSender>());
            sender.PromptSent += sp.GetRequiredService<AlertDispatcher>().OnPromptSent;
            return sender;
        });
        services.AddDeviceGrains(builder.Configuration);
        services.AddSingleton<ISnoozeReminders>(sp => new ClusterSnoozeReminders(sp.GetRequiredService<IGrainFactory>()));
        services.AddSingleton(sp => GrainHandoff.ToGrains(sp.GetRequiredService<IGrainFactory>(), sp.Logger<GrainHandoff>()));
        // After the silo, so it subscribes to the fan-out once the silo is up and leaves before it stops.
        services.AddSingleton(sp =>
        {
            var fanout = new AlertFanout(sp.GetRequiredService<IGrainFactory>(), TimeProvider.System, sp.Logger<AlertFanout>());
            var dispatcher = sp.GetRequiredService<AlertDispatcher>();
            dispatcher.Relay = fanout.Publish;
            fanout.Received += dispatcher.ShowInBrowsers;
            // Claims and settings saved on this node reach the others' memory and the device grains;
            // it lives as long as the events it is subscribed to.
            _ = new AccountSync(sp.GetRequiredService<AccountService>(), sp.GetRequiredService<SettingsService>(),
                fanout, sp.GetRequiredService<IGrainFactory>(), sp.Logger<AccountSync>());
            return fanout;
        });
        services.AddHostedService(sp => sp.GetRequiredService<AlertFanout>());
        return builder;
    }

    static ConfigurationOptions RedisConfiguration(ClusterAddress redis)
    {
        var configuration = new ConfigurationOptions { User = redis.User, Password = redis.Password };
        configuration.EndPoints.Add(redis.Host, redis.Port);
        return configuration;
    }

    /// <summary>A port free on <paramref name="address"/> right now, so that nodes on one machine each get their own.</summary>
    static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
