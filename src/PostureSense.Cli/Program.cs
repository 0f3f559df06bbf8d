using System.Net.Sockets;
using PostureSense.Cli.Reports;
using PostureSense.Cli.Users;
using PostureSense.Core.Configuration;

// posturesense: the operator's command line. Bad arguments print one line and exit 2; a store
// that cannot be read exits 1 with the reason.
const string Usage = "usage: posturesense report ... | posturesense users add|claim|list ...  (posturesense VERB --help)";

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    Console.WriteLine(ReportOptions.Usage);
    Console.WriteLine(UsersCommand.Usage);
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
        case "report" when rest.Any(a => a is "-h" or "--help"):
            Console.WriteLine(ReportOptions.Usage);
            return 0;
        case "report":
            return await ReportCommand.RunAsync(ReportOptions.Parse(rest), Console.Out, stop.Token);
        case "users" when rest.Any(a => a is "-h" or "--help"):
            Console.WriteLine(UsersCommand.Usage);
            return 0;
        case "users":
            return await UsersCommand.RunAsync(rest, Console.In, Console.Out, stop.Token);
        default:
            Console.Error.WriteLine($"posturesense: unknown command '{args[0]}'; {Usage}");
            return 2;
    }
}
catch (OptionsException ex)
{
    Console.Error.WriteLine($"posturesense: {ex.Message}");
    return 2;
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
