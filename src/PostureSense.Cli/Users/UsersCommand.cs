using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Accounts;
using PostureSense.Core.Configuration;

namespace PostureSense.Cli.Users;

/// <summary>
/// <c>posturesense users add|claim|list</c>: accounts from the operator's shell, in the same app
/// database the server uses. The password is read from standard input, never from the command
/// line (it would show in the process list and the shell history).
/// </summary>
public static class UsersCommand
{
    public const string Usage =
        "usage: posturesense users add --email EMAIL [--app-db PATH] (password on stdin) | " +
        "users claim --email EMAIL --device ID [--app-db PATH] | users list [--app-db PATH]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count == 0) throw new OptionsException(Usage);
        var verb = args[0];
        var line = new CommandLine(args.Skip(1).ToList(), verb switch
        {
            "add" => ["email", "app-db", "store"],
            "claim" => ["email", "device", "app-db", "store"],
            "list" => ["app-db", "store"],
            _ => throw new OptionsException($"unknown users command '{verb}'; {Usage}"),
        }, Usage);
        var path = CliStores.AppDatabase(line, CliStores.Store(line));
        await using var db = await AppDatabase.OpenAsync(path, cancellationToken);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, NullLogger<AccountService>.Instance, cancellationToken);
        switch (verb)
        {
            case "add":
            {
                var email = line.Required("email");
                var password = await input.ReadLineAsync(cancellationToken);
                var result = await accounts.SignUpAsync(email, password, cancellationToken);
                if (result.Wearer is null) throw new OptionsException(string.Join("; ", result.Problems));
                output.WriteLine($"Added {result.Wearer.Email} to {db.Path}");
                return 0;
            }
            case "claim":
            {
                var email = line.Required("email");
                var found = await db.FindWearerAsync(email.Trim(), cancellationToken) ?? throw new OptionsException($"no account for {email}");
                var result = await accounts.ClaimAsync(found.Wearer.Id, line.Required("device"), cancellationToken);
                if (!result.Succeeded) throw new OptionsException(result.Error!);
                output.WriteLine($"{found.Wearer.Email} owns {line.Required("device")} ({(result.Outcome == ClaimOutcome.Claimed ? "claimed" : "already theirs")}); " +
                                 "a running server sees it after a restart, a claim in the dashboard at once");
                return 0;
            }
            default:
                foreach (var wearer in await db.ListWearersAsync(cancellationToken))
                    output.WriteLine($"{wearer.Email}\t{string.Join(", ", await db.DevicesOfAsync(wearer.Id, cancellationToken))}");
                return 0;
        }
    }
}
