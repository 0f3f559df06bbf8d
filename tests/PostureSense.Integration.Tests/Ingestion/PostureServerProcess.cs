using PostureSense.Integration.Tests.Servers;

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

    public static async Task<PostureServerProcess> StartAsync(string mqtt, string store, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PostureSense.Server.dll");
        var server = new PostureServerProcess(new ServerProcess("dotnet", [dll, "--mqtt", mqtt, "--store", store, "--http", "http://127.0.0.1:0"]));
        await server.RestartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts it (again) and waits for its "ready" line, which it prints once subscribed.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        var runs = Count(_process.Output);
        _process.Start();
        await _process.WaitUntilAsync(_ => Task.FromResult(Count(_process.Output) > runs), TimeSpan.FromSeconds(60), cancellationToken);
    }

    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    static int Count(string output) => output.Split("PostureSense server: dashboard").Length - 1;
}
