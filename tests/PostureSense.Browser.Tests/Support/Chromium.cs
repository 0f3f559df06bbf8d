using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(PostureSense.Browser.Tests.Support.Chromium))]
// One server and one browser page at a time: on a small machine parallel browsers only race each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PostureSense.Browser.Tests.Support;

/// <summary>
/// The system's chromium (Debian's package) driven by Playwright, started once for all tests.
/// Playwright's own browser download is never used: it is not reachable everywhere and would
/// test a browser no wearer runs.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string InstallHint = "apt-get install chromium";

    /// <summary>The flags a headless chromium needs in a container without a desktop session.</summary>
    static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    IPlaywright? _playwright;
    IBrowser? _browser;

    /// <summary>The browser; a test that uses it is skipped (or failed under CI) when chromium is missing.</summary>
    public IBrowser Browser
    {
        get
        {
            ServerProcess.Require("chromium", InstallHint);
            return _browser ?? throw new InvalidOperationException("chromium was found but did not start; see the fixture's error");
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (ServerProcess.Find("chromium") is not { } path) return; // each test says why it skips
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = Flags,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
