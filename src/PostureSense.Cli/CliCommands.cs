using System.CommandLine;
using PostureSense.Hosting.Options;

namespace PostureSense.Cli;

/// <summary>
/// <c>posturesense</c>'s verbs and their options. Each option can also be set as its
/// <c>POSTURESENSE_*</c> variable or in appsettings.json in the working directory, like the
/// server's: <c>--store</c> and <c>--app-db</c> read what the server was told.
/// </summary>
public static class CliCommands
{
    public const string Program = "posturesense";

    public static RootCommand Root()
    {
        var root = ProgramCommandLine.Root("posturesense: the operator's command line, beside the server. " +
                                           "Bad arguments exit 2; a store that cannot be read exits 1.");
        root.Subcommands.Add(Report());
        var users = new Command("users", "accounts in the server's app database");
        users.Subcommands.Add(ProgramCommandLine.Verb("add", "add an account; its password is read from standard input",
            Email(), AppDb(), Store()));
        users.Subcommands.Add(ProgramCommandLine.Verb("claim", "give a device to an account",
            Email(), new Option<string>("--device") { HelpName = "ID", Description = "the device's id (required)" }, AppDb(), Store()));
        users.Subcommands.Add(ProgramCommandLine.Verb("list", "every account and its devices", AppDb(), Store()));
        users.Subcommands.Add(ProgramCommandLine.Verb("reset-password",
            "give an account a new password and end all its sessions; the password is read from standard input, " +
            "or made up and printed when standard input is a terminal or empty",
            Email(), AppDb(), Store()));
        users.Subcommands.Add(ProgramCommandLine.Verb("grant-operator", "let an account see the fleet-wide /api/stats", Email(), AppDb(), Store()));
        users.Subcommands.Add(ProgramCommandLine.Verb("revoke-operator", "take the operator's role from an account", Email(), AppDb(), Store()));
        root.Subcommands.Add(users);
        root.Subcommands.Add(Devices.DeviceCommand.Verbs(AppDb(), Store()));
        return root;
    }

    static Command Report() => ProgramCommandLine.Verb("report",
        "a day of one device: its summary as a table, its timeline as a PNG chart, its frames as CSV",
        new Option<string>("--device") { HelpName = "ID", Description = "the device (required)" },
        new Option<string>("--day") { HelpName = "YYYY-MM-DD", Description = "the day, in the machine's local time zone (required)" },
        Store(), AppDb(),
        new Option<string>("--out") { HelpName = "chart.png", Description = "draw the timeline into this PNG file" },
        new Option<string>("--size") { HelpName = "WIDTHxHEIGHT", Description = "the chart's size in pixels (default 1600x600)" },
        new Option<string>("--csv") { HelpName = "frames.csv", Description = "write the day's frames into this CSV file" });

    static Option<string> Email() => new("--email") { HelpName = "EMAIL", Description = "the account's email (required)" };

    static Option<string> Store() => new("--store")
    {
        HelpName = "LOCATION",
        Description = "the server's store: sqlite:PATH or an influxdb:// URL (default sqlite:posturesense.db)",
    };

    static Option<string> AppDb() => new("--app-db")
    {
        HelpName = "PATH",
        Description = "the server's app database (default: beside a SQLite store, else posturesense-app.db)",
    };

    /// <summary>Parses <c>posturesense VERB... args</c> and layers it; the verbs are given apart so the verbs' own entry points can take only their arguments.</summary>
    public static LayeredConfiguration Load(string[] verbs, IReadOnlyList<string> args, SettingsSources? sources = null) =>
        LayeredConfiguration.Load(ProgramCommandLine.Parse(Root(), [.. verbs, .. args]), sources);
}
