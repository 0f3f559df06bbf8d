using System.Net;
using System.Net.Http.Json;

namespace PostureSense.Integration.Tests.Ingestion;

/// <summary>
/// The PostureSense server as its own process, started the way an operator starts it, so a test
/// can kill it (SIGKILL, mid-write) and start it again on the same broker and store.
/// </summary>
public sealed class PostureServerProcess : IAsyncDisposable
{
    readonly ServerProcess _process;

    PostureServerProcess(ServerProcess process) => _process = process;

    public string Output => _process.Output;

    /// <summary>Named by <c>--operators</c>: the account that may read <c>/api/stats</c>.</summary>
    public const string OperatorEmail = "operator@example.org";
    const string OperatorPassword = "the operator's password";

    /// <param name="mqtt">The external broker; null: the embedded one.</param>
    public static async Task<PostureServerProcess> StartAsync(string? mqtt, string store, CancellationToken cancellationToken,
        params string[] moreOptions)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PostureSense.Server.dll");
        var server = new PostureServerProcess(new ServerProcess("dotnet",
            [dll, .. mqtt is null ? [] : new[] { "--mqtt", mqtt }, "--store", store, "--http", "http://127.0.0.1:0", "--management", "http://127.0.0.1:0",
                "--operators", OperatorEmail, .. moreOptions],
            new Dictionary<string, string> { ["TZ"] = MiddayZone(DateTime.UtcNow) }));
        try
        {
            await server.RestartAsync(cancellationToken);
        }
        catch
        {
            // A server that was not ready in time is still running: it must not outlive the test.
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>
    /// A fixed-offset zone where it is about noon at <paramref name="utcNow"/>. These servers run on
    /// real time, and wearers' default quiet hours (22:00-07:00 in the server's zone) would hold back
    /// every prompt of a test that runs at night: the wearers of a test live where it is day.
    /// </summary>
    public static string MiddayZone(DateTime utcNow)
    {
        var hoursAhead = 12 - utcNow.Hour; // -11 to +12: all within the tz database's Etc zones
        // The tz database names Etc/GMT zones with the sign reversed: Etc/GMT-5 is five hours ahead of UTC.
        return hoursAhead switch
        {
            0 => "Etc/UTC",
            > 0 => $"Etc/GMT-{hoursAhead}",
            _ => $"Etc/GMT+{-hoursAhead}",
        };
    }

    /// <summary>Starts it (again) and waits for its "ready" line, which it prints once subscribed.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var runs = Count(_process.Output);
        _process.Start();
        await _process.WaitUntilAsync(_ => Task.FromResult(Count(_process.Output) > runs), TimeSpan.FromSeconds(60), cancellationToken);
    }

    public Task KillAsync() => _process.KillAsync();

    /// <summary>The dashboard and API address of the newest run, from its ready line.</summary>
    public Uri HttpUrl
    {
        get
        {
            var line = _process.Output.Split('\n').Last(l => l.Contains("PostureSense server: dashboard", StringComparison.Ordinal));
            var url = line[(line.IndexOf("dashboard ", StringComparison.Ordinal) + "dashboard ".Length)..].Split(',')[0].Trim();
            return new Uri(url);
        }
    }

    /// <summary>A client signed in as the operator (the account is made first; servers sharing an app database find it made).</summary>
    public async Task<HttpClient> OperatorClientAsync(CancellationToken cancellationToken)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = HttpUrl,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var credentials = new { email = OperatorEmail, password = OperatorPassword };
        (await http.PostAsJsonAsync("/api/account/signup", credentials, cancellationToken)).Dispose();
        using var login = await http.PostAsJsonAsync("/api/account/login", credentials, cancellationToken);
        login.EnsureSuccessStatusCode();
        return http;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    static int Count(string output) => output.Split("PostureSense server: dashboard").Length - 1;
}
