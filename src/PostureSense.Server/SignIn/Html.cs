using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PostureSense.Server.SignIn;

/// <summary>Page scaffolding. Everything that came from outside (ids, names, times) goes through <see cref="E"/>.</summary>
static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static ContentHttpResult Page(string title, string body, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" - PostureSense</title>").Append(Head).Append("<style>").Append(Style).Append("</style></head><body>")
            .Append("<header><a href=\"/\">PostureSense</a></header><main>")
            .Append(body)
            .Append("</main><footer>").Append(E(Core.Exercises.ExerciseCatalog.Disclaimer)).Append("</footer>")
            .Append("<script src=\"/js/install.js\"></script></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static ContentHttpResult Error(int status, string message) =>
        Page("Error", $"<h1>{status}</h1><p>{E(message)}</p><p><a href=\"/\">All devices</a></p>", status);

    /// <summary>The dashboard's theme (light or dark as the system is), manifest and icon: these pages look like the rest.</summary>
    const string Head = """
        <meta name="theme-color" content="#23395d"><link rel="manifest" href="/manifest.webmanifest"><link rel="icon" type="image/png" href="/icons/icon-192.png">
        <link rel="stylesheet" href="/_content/Radzen.Blazor/css/standard.css" media="not all and (prefers-color-scheme: dark)">
        <link rel="stylesheet" href="/_content/Radzen.Blazor/css/standard-dark.css" media="(prefers-color-scheme: dark)">
        """;

    const string Style = """
        body{margin:0;background:var(--rz-body-background-color);color:var(--rz-text-color);font-family:var(--rz-text-font-family,system-ui,sans-serif)}
        header{background:var(--rz-header-background-color,#23395d);padding:.8rem 1.2rem;border-bottom:1px solid var(--rz-base-300)}
        header a{color:var(--rz-text-color);font-weight:600;text-decoration:none;font-size:1.1rem}
        main{max-width:26rem;margin:0 auto;padding:1rem 1.2rem}
        footer{max-width:26rem;margin:2rem auto;padding:0 1.2rem;color:var(--rz-text-secondary-color);font-size:.85rem}
        label{display:flex;flex-direction:column;gap:.25rem;font-weight:600;font-size:.9rem}
        input{font:inherit;padding:.5rem .6rem;border:1px solid var(--rz-base-400);border-radius:4px;background:var(--rz-base-background-color);color:var(--rz-text-color)}
        button{font:inherit;font-weight:600;padding:.5rem 1.2rem;border:0;border-radius:4px;background:var(--rz-primary);color:var(--rz-on-primary,#fff);cursor:pointer}
        .problem{color:var(--rz-danger)}
        """;
}
