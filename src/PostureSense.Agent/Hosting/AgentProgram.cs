using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using PostureSense.Agent.Link;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.Agent.Hosting;

/// <summary>What the agent programs share around the composition: settings, the host, exit codes.</summary>
public static class AgentProgram
{
    /// <summary>Bad settings: the program printed one line and exits with this.</summary>
    public const int BadSettings = ProgramCommandLine.BadOptions;
    /// <summary>The hardware, the outbox or the sensor could not be opened, or a loop was given up on.</summary>
    public const int Failed = 1;

    /// <summary>
    /// Reads the settings (command line, then <c>POSTURESENSE_*</c>, then appsettings.json). Null when
    /// the program ends here: after --help (exit code 0) or a bad setting (one line on stderr, exit code 2).
    /// </summary>
    public static AgentSetup? ReadSettings(string name, string[] args, bool simulated, out int exitCode)
    {
        exitCode = 0;
        try
        {
            var settings = AgentCommandLine.Parse(args, simulated: simulated);
            if (settings.Help)
            {
                Console.WriteLine(AgentCommandLine.HelpText(simulated));
                return null;
            }
            if (settings.ShowPairingCode)
            {
                Console.WriteLine(Pairing.PairingCodeFile.LoadOrCreate(settings.DataDirectory, settings.DeviceId.Value));
                return null;
            }
            var brokerCa = settings.MqttCa is { } caFile ? BrokerTrust.LoadCa(caFile) : null;
            var options = settings.ToAgentOptions(brokerCa);
            // Calibrating again must work whatever an earlier calibration left behind.
            if (!settings.CalibrateAccel
                && AccelCalibration.AccelCalibrationFile.Load(AccelCalibration.AccelCalibrationFile.PathFor(settings.DataDirectory, settings.DeviceId)) is { } accel)
                options = options with { AccelCorrection = accel };
            options.Validate();
            return new AgentSetup(settings, options);
        }
        catch (Exception ex) when (ex is OptionsException or InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{name}: {ex.Message}");
            exitCode = BadSettings;
            return null;
        }
    }

    /// <summary>
    /// The Generic Host with the systemd lifetime: under systemd (Type=notify) the unit is ready
    /// once the agent started and stops on SIGTERM, logging in journald's format; elsewhere
    /// Ctrl+C and SIGTERM stop it and the console gets one line per message.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();
        builder.Logging.ClearProviders();
        if (SystemdHelpers.IsSystemdService()) builder.Logging.AddConsole();
        else builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // A start that fails (no sensor, no bus) is told in one line by RunAsync, not as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        return builder;
    }

    /// <summary>Runs the host until it is stopped; returns the program's exit code.</summary>
    public static async Task<int> RunAsync(string name, AgentSetup setup, IHost host)
    {
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(name);
        if (setup.Settings.PasswordOnCommandLine)
            log.LogWarning("The broker password is on the command line, where every user of this machine can read it; set POSTURESENSE_MQTT instead");
        try
        {
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"{name}: {ex.Message}");
            return Failed;
        }
        return Environment.ExitCode;
    }
}

/// <summary>The settings as given, and the agent's options made from them.</summary>
public sealed record AgentSetup(AgentCommandLine Settings, AgentOptions Options);
