using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace PostureSense.Server.Dashboard;

/// <summary>Page scaffolding. Everything that came from outside (ids, names, times) goes through <see cref="E"/>.</summary>
static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A local clock time in the server's zone.</summary>
    public static string Time(long ts, TimeZoneInfo zone, string format = "HH:mm") =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ts), zone).ToString(format, CultureInfo.InvariantCulture);

    public static string Minutes(double minutes) => History.Durations.Text(minutes);

    public static IResult Page(string title, string body, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" - PostureSense</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<header><a href=\"/\">PostureSense</a></header><main>")
            .Append(body)
            .Append("</main><footer>PostureSense coaches posture habits. It does not diagnose or treat any condition.</footer></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static IResult Error(int status, string message) =>
        Page("Error", $"<h1>{status}</h1><p>{E(message)}</p><p><a href=\"/\">All devices</a></p>", status);

    const string Style = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
        header{background:#23395d;padding:.8rem 1.2rem}header a{color:#fff;font-weight:600;text-decoration:none}
        main{max-width:60rem;margin:0 auto;padding:1rem 1.2rem}
        footer{max-width:60rem;margin:2rem auto;padding:0 1.2rem;color:#5b6473;font-size:.9rem}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e6eb}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.6rem}
        .card{background:#fff;border:1px solid #e3e6eb;border-radius:6px;padding:.6rem .8rem}.card b{display:block;font-size:1.4rem}
        .online{color:#1c7c3a}.offline{color:#9a3b3b}nav a{margin-right:1rem}
        svg{background:#fff;border:1px solid #e3e6eb;width:100%;height:auto}
        .advice{background:#fff8e6;border:1px solid #f0d58c;border-radius:6px;padding:.6rem 1rem}
        """;
}
