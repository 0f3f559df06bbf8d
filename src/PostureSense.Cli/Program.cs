using System.Net.Sockets;
using PostureSense.Cli;
using PostureSense.Cli.Reports;
using PostureSense.Cli.Devices;
using PostureSense.Cli.Users;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

// posturesense: the operator's command line. Bad arguments print one line and exit 2; a store
// that cannot be read exits 1 with the reason.
var parsed = ProgramCommandLine.Parse(CliCommands.Root(), args);
if (args.Length == 0 || ProgramCommandLine.WantsHelp(parsed))
{
    ProgramCommandLine.WriteHelp(args.Length == 0 ? ProgramCommandLine.Parse(CliCommands.Root(), ["--help"]) : parsed, Console.Out);
    return 0;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var rest = args.Skip(1).ToList();
try
{
    switch (args[0])
    {
        case "report":
            return await ReportCommand.RunAsync(ReportOptions.Parse(rest), Console.Out, stop.Token);
        case "users":
            // A reset on a terminal makes up the password rather than wait for one to be typed.
            return await UsersCommand.RunAsync(rest, rest.FirstOrDefault() == "reset-password" && !Console.IsInputRedirected ? TextReader.Null : Console.In,
                Console.Out, stop.Token);
        case "device":
            return await DeviceCommand.RunAsync(rest, Console.Out, stop.Token);
        default:
            ProgramCommandLine.ThrowIfInvalid(parsed);
            throw new OptionsException($"unknown command '{args[0]}'");
    }
}
catch (OptionsException ex)
{
    return ProgramCommandLine.Refuse(CliCommands.Program, ex);
}
catch (Exception ex) when (ex is IOException or HttpRequestException or SocketException or UnauthorizedAccessException
                               or Microsoft.Data.Sqlite.SqliteException or PostureSense.Storage.Influx.InfluxQueryException)
{
    Console.Error.WriteLine($"posturesense: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}
