using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PostureSense.TestSupport.Server;

/// <summary>A request as the scripted server saw it, its gzip body decoded.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string? ContentEncoding, string Body)
{
    /// <summary>Every header, by name without case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An answer to give: status, body, and optionally a Retry-After or a Location header.</summary>
public sealed record ScriptedReply(int Status, string Body = "", string? RetryAfter = null)
{
    /// <summary>Where a 3xx points.</summary>
    public string? Location { get; init; }

    public static ScriptedReply NoContent { get; } = new(204);
}

/// <summary>
/// A real HTTP server on 127.0.0.1, standing in for InfluxDB or a push service, (Kestrel, port 0) that records every request and answers from a
/// script: the next scripted reply, or <see cref="Answer"/> when the script is empty (204 by default).
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<ScriptedReply> _script;

    ScriptedHttpServer(WebApplication app, IEnumerable<ScriptedReply> script)
    {
        _app = app;
        _script = new ConcurrentQueue<ScriptedReply>(script);
    }

    public Uri Url { get; private set; } = null!;
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The answer once the script is used up.</summary>
    public Func<RecordedRequest, ScriptedReply> Answer { get; set; } = _ => ScriptedReply.NoContent;

    /// <summary>Requests to /write or /api/v2/write, in arrival order.</summary>
    public List<RecordedRequest> Writes => Requests.Where(r => r.PathAndQuery.Contains("write", StringComparison.Ordinal)).ToList();

    /// <summary>Replies to give next, before <see cref="Answer"/> takes over again.</summary>
    public void Script(params ScriptedReply[] replies)
    {
        foreach (var reply in replies) _script.Enqueue(reply);
    }

    public static async Task<ScriptedHttpServer> StartAsync(params ScriptedReply[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ScriptedHttpServer(app, script);
        app.Run(server.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        server.Url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var encoding = request.Headers.ContentEncoding.ToString();
        Stream body = encoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
        string text;
        using (var reader = new StreamReader(body, Encoding.UTF8)) text = await reader.ReadToEndAsync();
        var recorded = new RecordedRequest(request.Method, request.Path + request.QueryString, request.Headers.Authorization.FirstOrDefault(),
            encoding.Length == 0 ? null : encoding, text)
        {
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };
        Requests.Enqueue(recorded);

        var reply = _script.TryDequeue(out var next) ? next : Answer(recorded);
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null) context.Response.Headers.RetryAfter = reply.RetryAfter;
        if (reply.Location is not null) context.Response.Headers.Location = reply.Location;
        if (reply.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
