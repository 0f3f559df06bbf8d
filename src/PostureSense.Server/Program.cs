using Microsoft.Extensions.Logging;
using PostureSense.Core.Configuration;
using PostureSense.Server;
using PostureSense.Server.Configuration;

// The server from the command line: options from appsettings.json, POSTURESENSE_* variables and
// --mqtt/--store/--http; runs until Ctrl+C. Bad options exit with 2 and one line on stderr.
if (ServerOptionsLoader.WantsHelp(args))
{
    Console.WriteLine(ServerOptionsLoader.Usage);
    return 0;
}

Microsoft.Extensions.Configuration.IConfiguration configuration;
ServerOptions options;
try
{
    configuration = ServerOptionsLoader.Build(args);
    options = ServerOptionsLoader.FromConfiguration(configuration, args);
}
catch (OptionsException ex)
{
    Console.Error.WriteLine($"posturesense-server: {ex.Message}");
    return 2;
}

using var loggers = LoggerFactory.Create(logging => logging
    .AddConfiguration(configuration.GetSection("Logging"))
    .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; }));

// Ctrl+C and a service manager's SIGTERM stop the host, which stops the server cleanly: the MQTT
// session is closed normally and the store flushed before the process exits.
await using var server = new PostureServer(options, TimeProvider.System, loggers, ownsProcess: true);
try
{
    await server.StartAsync();
}
catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or Microsoft.Data.Sqlite.SqliteException
                               or UnauthorizedAccessException or OptionsException)
{
    // Port in use, unwritable database and the like: a clear line, not a stack trace.
    Console.Error.WriteLine($"posturesense-server: cannot start: {ex.Message}");
    return 1;
}

Console.WriteLine($"PostureSense server: dashboard {server.HttpUrl}, MQTT {server.MqttHost}:{server.MqttPort}" +
                  $"{(server.UsesEmbeddedBroker ? " (embedded)" : "")}" +
                  $"{(options.EmbeddedBrokerTls is { } tls ? $", MQTT over TLS {tls.Address}:{server.MqttTlsPort}" : "")}, store {options.Store}" +
                  $"{(options.Cluster is { } cluster ? $", cluster {cluster}{(options.ClusterTls is null ? "" : " (nodes over mutual TLS)")}" : "")}. Ctrl+C to stop.");
await server.WaitForShutdownAsync();
return 0;
