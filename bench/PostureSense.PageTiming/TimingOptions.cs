using PostureSense.Core.Configuration;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

namespace PostureSense.PageTiming;

/// <summary>The command line: <c>[--store LOCATION] [--runs N] [--width PX] [--chromium PATH]</c>.</summary>
sealed record TimingOptions(StoreLocation? Store, int Runs, int Width, string Chromium)
{
    public static TimingOptions? Parse(string[] args)
    {
        StoreLocation? store = null;
        int runs = 5, width = 1280;
        var chromium = "/usr/bin/chromium";
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--store": store = StoreLocation.Parse(value, "--store"); break;
                    case "--runs": runs = Number(value, "--runs", 1, 100); break;
                    case "--width": width = Number(value, "--width", 320, 3840); break;
                    case "--chromium": chromium = File.Exists(value) ? value : throw new ArgumentException($"--chromium: no file {value}"); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
                i++;
            }
            if (!File.Exists(chromium)) throw new ArgumentException($"no chromium at {chromium} (apt-get install chromium, or --chromium PATH)");
            return new TimingOptions(store, runs, width, chromium);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OptionsException)
        {
            Console.Error.WriteLine($"page-timing: {e.Message}");
            Console.Error.WriteLine("usage: PostureSense.PageTiming [--store sqlite:PATH|influxdb://HOST:PORT/DB] [--runs 5] [--width 1280] [--chromium /usr/bin/chromium]");
            return null;
        }
    }

    static int Number(string text, string flag, int min, int max) =>
        int.TryParse(text, out var n) && n >= min && n <= max ? n : throw new ArgumentException($"{flag} must be a whole number {min}-{max}, not '{text}'");
}
