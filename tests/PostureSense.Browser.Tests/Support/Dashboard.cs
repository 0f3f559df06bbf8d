using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace PostureSense.Browser.Tests.Support;

/// <summary>
/// A real server in-process (embedded broker, SQLite in a temp file, coaching on a fake clock) and
/// a chromium tab on its dashboard, signed in through the login form as the harness's wearer.
/// </summary>
public sealed class Dashboard : IAsyncDisposable
{
    public const int PhoneWidth = 390;
    public const int DesktopWidth = 1280;

    readonly TempDirectory _dir;
    readonly IBrowserContext _context;

    Dashboard(TempDirectory dir, ServerHarness server, IBrowserContext context, IPage page)
    {
        _dir = dir;
        Server = server;
        _context = context;
        Page = page;
    }

    public ServerHarness Server { get; }
    public IPage Page { get; }
    public FakeTimeProvider Clock => Server.Clock;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A server whose wearer owns <paramref name="owned"/>, and a tab that has not signed in yet.</summary>
    public static async Task<Dashboard> StartAsync(Chromium chromium, int width = DesktopWidth, ColorScheme scheme = ColorScheme.Light,
        IReadOnlyList<string>? owned = null)
    {
        var browser = chromium.Browser;
        var dir = new TempDirectory();
        var server = await ServerHarness.StartAsync(dir.File("dashboard.db"), owned: owned ?? ["desk-1"]);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Server.HttpUrl!.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            ColorScheme = scheme,
            Permissions = ["notifications"],
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new Dashboard(dir, server, context, page);
    }

    /// <summary>Signs in through the login form the way a wearer does, landing on <paramref name="path"/>.</summary>
    public async Task SignInAsync(string path = "/", string email = ServerHarness.WearerEmail, string password = ServerHarness.WearerPassword)
    {
        await Page.GotoAsync(path);
        Assert.Contains("/login", Page.Url);
        await Page.Locator("form[action='/login'] input[name=email]").FillAsync(email);
        await Page.Locator("form[action='/login'] input[name=password]").FillAsync(password);
        await Page.Locator("form[action='/login'] button[type=submit]").ClickAsync();
        await Page.WaitForURLAsync(url => !url.Contains("/login"));
    }

    /// <summary>Opens a page of the interactive dashboard and waits until it answers clicks.</summary>
    public async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await Page.Locator("[data-ready=true]").First.WaitForAsync();
    }

    public ILocator ByTestId(string id) => Page.GetByTestId(id);

    /// <summary>The visible text of a test id, once it holds something.</summary>
    public async Task<string> TextAsync(string id)
    {
        var locator = ByTestId(id).First;
        await locator.WaitForAsync();
        return (await locator.InnerTextAsync()).Trim();
    }

    /// <summary>Waits (the page may still be updating after a navigation) until a test id shows <paramref name="text"/>.</summary>
    public Task ShowsAsync(string id, string text) =>
        Assertions.Expect(ByTestId(id).First).ToContainTextAsync(text, new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });

    /// <summary>Saves a full-page screenshot under artifacts/screenshots at the repository root.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Artifacts.Directory("screenshots"), name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Fails the test when a page crashed on the server: the wearer's tab then stops updating without a word.</summary>
    public async ValueTask DisposeAsync()
    {
        var crashes = Server.Logs.Entries.Where(e => e.Category.Contains("Circuit", StringComparison.Ordinal) && e.Level >= LogLevel.Error)
            .Select(e => e.Message).ToList();
        await _context.DisposeAsync();
        await Server.DisposeAsync();
        _dir.Dispose();
        Assert.True(crashes.Count == 0, "a dashboard page crashed: " + string.Join("; ", crashes));
    }
}

/// <summary>Where test artifacts go: artifacts/ beside PostureSense.sln, so CI can keep them.</summary>
public static class Artifacts
{
    public static string Directory(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PostureSense.sln"))) dir = dir.Parent;
        var root = dir?.FullName ?? AppContext.BaseDirectory;
        return System.IO.Directory.CreateDirectory(Path.Combine(root, "artifacts", name)).FullName;
    }
}
