using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Accounts;
using PostureSense.Accounts.Devices;
using PostureSense.Core.Contract;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.Cli.Devices;

/// <summary>
/// <c>posturesense device add|list|remove</c>: the devices that may connect to the embedded broker
/// and be claimed, in the app database the server uses. <c>add</c> prints a new broker password
/// (the device's MQTT username is its id) and records the device's pairing code, the one it shows
/// (<c>--pairing-code</c>) or, without one, a new one to hand to the wearer. Only their hashes are kept:
/// what is printed cannot be read back later, only replaced by adding the device again.
/// </summary>
public static class DeviceCommand
{
    public static Command Verbs(Option<string> appDb, Option<string> store)
    {
        var devices = new Command("device", "devices that may connect to the embedded broker and be claimed by a wearer");
        var add = ProgramCommandLine.Verb("add", "provision a device (or replace its secrets): prints its broker password and pairing code",
            new Option<string>("--pairing-code")
            {
                HelpName = "CODE",
                Description = "the code the device shows (posturesense-agent --show-pairing-code); default: a new one, to give the wearer",
            }, appDb, store);
        add.Arguments.Add(Id());
        var remove = ProgramCommandLine.Verb("remove", "take a device's credentials away: it can no longer connect or be claimed",
            Clone(appDb), Clone(store));
        remove.Arguments.Add(Id());
        devices.Subcommands.Add(add);
        devices.Subcommands.Add(remove);
        devices.Subcommands.Add(ProgramCommandLine.Verb("list", "every provisioned device, and since when", Clone(appDb), Clone(store)));
        return devices;
    }

    static Argument<string> Id() => new("ID") { Description = "the device's id: lowercase letters, digits, '-'", Arity = ArgumentArity.ExactlyOne };

    static Option<string> Clone(Option<string> option) => new(option.Name) { HelpName = option.HelpName, Description = option.Description };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var verb = args.Count > 0 ? args[0] : "";
        if (verb is not ("add" or "remove" or "list")) throw new OptionsException($"unknown device command '{verb}'");
        var parsed = ProgramCommandLine.Parse(CliCommands.Root(), ["device", .. args]);
        ProgramCommandLine.ThrowIfInvalid(parsed);
        var layers = CliCommands.Load(["device"], args);
        var settings = layers.Settings.Get<DeviceSettings>() ?? new DeviceSettings();
        var problems = layers.StartChecks();
        var path = CliStores.AppDatabase(settings.AppDb, CliStores.Store(settings.Store, layers, problems));
        problems.ThrowIfAny();
        var id = verb == "list" ? "" : parsed.GetValue<string>("ID") ?? "";

        await using var db = await AppDatabase.OpenAsync(path, cancellationToken);
        var accounts = await AccountService.OpenAsync(db, TimeProvider.System, NullLogger<AccountService>.Instance, cancellationToken);
        switch (verb)
        {
            case "add":
            {
                if (DeviceRegistry.IdProblem(id, out var deviceId) is { } problem) throw new OptionsException(problem);
                Accounts.Devices.DeviceSecrets secrets;
                try
                {
                    secrets = await accounts.Devices.ProvisionAsync(deviceId, settings.PairingCode, cancellationToken);
                }
                catch (ArgumentException ex)
                {
                    throw new OptionsException(ex.Message.Split(" (Parameter")[0]);
                }
                output.WriteLine($"Provisioned {secrets.DeviceId} in {db.Path}. Shown once; only their hashes are kept:");
                output.WriteLine($"  broker username  {secrets.DeviceId}");
                output.WriteLine($"  broker password  {secrets.Password}");
                output.WriteLine($"  pairing code     {secrets.PairingCode}");
                // The embedded broker's plain listener is loopback only: a device elsewhere must come over TLS.
                output.WriteLine($"The device connects as POSTURESENSE_MQTT=mqtts://{secrets.DeviceId}:{secrets.Password}@SERVER:8883 " +
                                 "with --mqtt-ca (the server's --broker-listen mqtts://), or as mqtt://...@127.0.0.1:1883 on the server's own machine; " +
                                 $"its wearer claims it in the dashboard with id {secrets.DeviceId} and the pairing code.");
                return 0;
            }
            case "remove":
                if (!DeviceId.TryParse(id, out var removed) || !await accounts.Devices.RemoveAsync(removed, cancellationToken)) throw new OptionsException($"no provisioned device '{id}'");
                output.WriteLine($"{id} can no longer connect or be claimed; a running server refuses its next connection");
                return 0;
            default:
                foreach (var device in await accounts.Devices.ListAsync(cancellationToken))
                    output.WriteLine($"{device.DeviceId}\tprovisioned {DateTimeOffset.FromUnixTimeMilliseconds(device.ProvisionedTs):yyyy-MM-dd HH:mm}Z" +
                                     $"\t{(accounts.OwnerOf(device.DeviceId) is null ? "not claimed" : "claimed")}");
                return 0;
        }
    }
}

/// <summary>The device verbs' settings as written; each property is an option (<c>PairingCode</c> is <c>--pairing-code</c>).</summary>
internal sealed class DeviceSettings
{
    public string? PairingCode { get; set; }
    public string? Store { get; set; }
    public string? AppDb { get; set; }
}
