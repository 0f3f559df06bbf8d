using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PostureSense.Storage.Influx;

/// <summary>Reading InfluxDB's answers: its error text, partial writes, Retry-After.</summary>
static partial class InfluxResponses
{
    const int MaxErrorChars = 500;

    /// <summary>
    /// The error text of a failed request: 1.x answers <c>{"error":"..."}</c>, 2.x/3.x
    /// <c>{"code":"...","message":"..."}</c>; some proxies answer HTML, kept short.
    /// </summary>
    public static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = "";
        try { body = await response.Content.ReadAsStringAsync(cancellationToken); }
        catch (HttpRequestException) { }
        var text = FromJson(body) ?? body.Trim();
        if (text.Length == 0 && response.Headers.TryGetValues("X-Influxdb-Error", out var header)) text = string.Join("; ", header);
        if (text.Length == 0) text = response.ReasonPhrase ?? "";
        text = text.ReplaceLineEndings(" ");
        return text.Length > MaxErrorChars ? text[..MaxErrorChars] + "..." : text;
    }

    static string? FromJson(string body)
    {
        if (!body.TrimStart().StartsWith('{')) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var name in (ReadOnlySpan<string>)["error", "message"])
                if (doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    return value.GetString();
        }
        catch (JsonException) { }
        return null;
    }

    /// <summary>Some points were stored and the rest refused for good: 1.x says 400 "partial write", 2.x/3.x say 422.</summary>
    public static bool IsPartialWrite(HttpStatusCode status, string error) =>
        status == HttpStatusCode.UnprocessableEntity
        || (status == HttpStatusCode.BadRequest && error.Contains("partial write", StringComparison.OrdinalIgnoreCase));

    /// <summary>The "dropped=N" InfluxDB appends to a partial write, if present.</summary>
    public static int? DroppedCount(string error) =>
        DroppedPattern().Match(error) is { Success: true } m && int.TryParse(m.Groups[1].ValueSpan, out var n) ? n : null;

    public static bool IsRetryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>How long the server asked us to wait (seconds or an HTTP date), if it did.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    [GeneratedRegex(@"dropped=(\d+)")]
    private static partial Regex DroppedPattern();
}
