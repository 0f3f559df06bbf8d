using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using PostureSense.Bench;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;
using PostureSense.PageTiming;
using PostureSense.Server;
using PostureSense.Server.Configuration;
using PostureSense.Server.History;
using PostureSense.Storage;
using PostureSense.Storage.History;

// How long the Today page of a whole worn day (86,400 frames) takes to show in a real browser:
// the server in-process on the chosen store, chromium signed in as the device's wearer.
if (TimingOptions.WantsHelp(args))
{
    Console.WriteLine(TimingOptions.Usage);
    return 0;
}
TimingOptions options;
try
{
    options = TimingOptions.Parse(args);
}
catch (OptionsException ex)
{
    return ProgramCommandLine.Refuse("page-timing", ex);
}

var folder = Directory.CreateTempSubdirectory("posturesense-page-timing-").FullName;
try
{
    var server = new PostureServer(new ServerOptions
    {
        EmbeddedBrokerAddress = IPAddress.Loopback,
        EmbeddedBrokerPort = 0,
        Http = new HttpEndpoint(IPAddress.Loopback, 0),
        Management = new HttpEndpoint(IPAddress.Loopback, 0),
        Store = options.Store ?? StoreLocation.Parse("sqlite:" + Path.Combine(folder, "today.db")),
        AppDatabase = Path.Combine(folder, "app.db"),
    }, TimeProvider.System, NullLoggerFactory.Instance);
    await server.StartAsync();
    await using var _ = server;

    const string device = "timing-1", email = "timing@example.org", password = "a long enough password";
    var wearer = (await server.Accounts.SignUpAsync(email, password)).Wearer!;
    await server.Accounts.AssignAsync(wearer.Id, device);
    var yesterday = LocalDay.Today(TimeProvider.System).AddDays(-1);
    await FullDay.WriteAsync(server.Store, PostureSense.Core.Contract.DeviceId.Parse(device), LocalDay.Of(yesterday, TimeZoneInfo.Local));
    var path = $"/devices/{device}/day/{yesterday.ToString(LocalDay.Format, CultureInfo.InvariantCulture)}";

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = options.Chromium,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
    });
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = server.HttpUrl!.ToString(),
        ViewportSize = new ViewportSize { Width = options.Width, Height = 900 },
    });
    var page = await context.NewPageAsync();
    await page.GotoAsync("/login");
    await page.Locator("form[action='/login'] input[name=email]").FillAsync(email);
    await page.Locator("form[action='/login'] input[name=password]").FillAsync(password);
    await page.Locator("form[action='/login'] button[type=submit]").ClickAsync();
    await page.WaitForURLAsync(url => !url.Contains("/login"));

    Console.WriteLine($"store {server.Options.Store}, {options.Width} px, {options.Runs} loads of {path}");
    var shown = new List<double>();
    var ready = new List<double>();
    for (var run = 1; run <= options.Runs; run++)
    {
        await page.GotoAsync("about:blank");
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator("[data-testid=today-chart] svg").First.WaitForAsync();
        await page.GetByTestId("summary-hunched-minutes").First.WaitForAsync();
        var chart = clock.Elapsed.TotalMilliseconds;
        await page.Locator("[data-ready=true]").First.WaitForAsync();
        var interactive = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine($"  load {run}: chart and summary shown {chart,6:0} ms, interactive {interactive,6:0} ms");
        shown.Add(chart);
        ready.Add(interactive);
    }
    Console.WriteLine($"shown:       median {Median(shown):0} ms, max {shown.Max():0} ms");
    Console.WriteLine($"interactive: median {Median(ready):0} ms, max {ready.Max():0} ms");
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
