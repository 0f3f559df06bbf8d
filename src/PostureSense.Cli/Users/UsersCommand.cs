using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Accounts;
using PostureSense.Core.Configuration;

namespace PostureSense.Cli.Users;

/// <summary>
/// <c>posturesense users add|claim|list|reset-password|grant-operator|revoke-operator</c>: accounts
/// from the operator's shell, in the same app database the server uses; a running server sees a
/// reset or a role at its next request. A password is read from standard input, never from the
/// command line (it would show in the process list and the shell history).
/// </summary>
public static class UsersCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var verb = args.Count > 0 ? args[0] : "";
        var layers = CliCommands.Load(["users"], args);
        var settings = layers.Settings.Get<UsersSettings>() ?? new UsersSettings();
        var problems = layers.StartChecks();
        var email = verb is "add" or "claim" or "reset-password" or "grant-operator" or "revoke-operator" ? layers.Required(settings.Email, "--email", problems) : "";
        var device = verb is "claim" ? layers.Required(settings.Device, "--device", problems) : "";
        var path = CliStores.AppDatabase(settings.AppDb, CliStores.Store(settings.Store, layers, problems));
        problems.ThrowIfAny();
        await using var db = await AppDatabase.OpenAsync(path, cancellationToken);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, NullLogger<AccountService>.Instance, cancellationToken);
        switch (verb)
        {
            case "add":
            {
                var password = await input.ReadLineAsync(cancellationToken);
                var result = await accounts.SignUpAsync(email, password, cancellationToken);
                if (result.Wearer is null) throw new OptionsException(string.Join("; ", result.Problems));
                output.WriteLine($"Added {result.Wearer.Email} to {db.Path}");
                return 0;
            }
            case "claim":
            {
                var found = await db.FindWearerAsync(email.Trim(), cancellationToken) ?? throw new OptionsException($"no account for {email}");
                var result = await accounts.AssignAsync(found.Wearer.Id, device, cancellationToken);
                if (!result.Succeeded) throw new OptionsException(result.Error!);
                output.WriteLine($"{found.Wearer.Email} owns {device} ({(result.Outcome == ClaimOutcome.Claimed ? "claimed" : "already theirs")}); " +
                                 "a running server sees it after a restart, a claim in the dashboard at once");
                return 0;
            }
            case "reset-password":
            {
                var typed = await input.ReadLineAsync(cancellationToken);
                var password = string.IsNullOrEmpty(typed) ? RandomPassword() : typed;
                var result = await accounts.ResetPasswordAsync(email, password, cancellationToken);
                if (!result.Succeeded) throw new OptionsException(string.Join("; ", result.Problems));
                output.WriteLine(string.IsNullOrEmpty(typed)
                    ? $"New password for {email.Trim()}: {password}"
                    : $"New password set for {email.Trim()}");
                output.WriteLine("Every session of the account has ended.");
                return 0;
            }
            case "grant-operator" or "revoke-operator":
            {
                var grant = verb == "grant-operator";
                if (!await accounts.SetOperatorAsync(email, grant, cancellationToken)) throw new OptionsException($"no account for {email}");
                output.WriteLine(grant ? $"{email.Trim()} is an operator: it may see /api/stats" : $"{email.Trim()} is no operator any more");
                return 0;
            }
            default:
                foreach (var wearer in await db.ListWearersAsync(cancellationToken))
                    output.WriteLine($"{wearer.Email}\t{string.Join(", ", await db.DevicesOfAsync(wearer.Id, cancellationToken))}");
                return 0;
        }
    }

    /// <summary>20 characters from 56 unmistakable ones: about 116 bits, easy to read out and type.</summary>
    static string RandomPassword() =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}

/// <summary>The users verbs' settings as written; each property is an option (<c>AppDb</c> is <c>--app-db</c>).</summary>
internal sealed class UsersSettings
{
    public string? Email { get; set; }
    public string? Device { get; set; }
    public string? Store { get; set; }
    public string? AppDb { get; set; }
}
