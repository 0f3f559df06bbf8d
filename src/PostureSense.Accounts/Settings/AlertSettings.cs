namespace PostureSense.Accounts.Settings;

/// <summary>How a wearer hears about a stretch prompt besides the vibration.</summary>
/// <param name="Browser">Live notifications in the wearer's open dashboard (server-sent events).</param>
/// <param name="SnoozeMinutes">A snoozed prompt comes back after this long, unless it was done meanwhile.</param>
/// <param name="Ntfy">Push through an ntfy topic; null = off.</param>
/// <param name="Webhook">A JSON POST to a URL; null = off.</param>
public sealed record AlertSettings(bool Browser = true, int SnoozeMinutes = AlertSettings.DefaultSnoozeMinutes,
    NtfyChannel? Ntfy = null, WebhookChannel? Webhook = null)
{
    public const int DefaultSnoozeMinutes = 10;
    public const int MaxSnoozeMinutes = 240;

    public static AlertSettings Default { get; } = new();

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SnoozeMinutes is < 1 or > MaxSnoozeMinutes) problems.Add($"snooze must be 1 to {MaxSnoozeMinutes} minutes");
        if (Ntfy is not null) problems.AddRange(Ntfy.Validate());
        if (Webhook is not null) problems.AddRange(Webhook.Validate());
        return problems;
    }

    /// <summary>An absolute http(s) URL without user info or fragment: anything else is a typo or a trap.</summary>
    internal static string? UrlProblem(string? url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return $"{what} '{url}' is not an http:// or https:// URL";
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0) return $"{what} must not hold a user or a #fragment";
        return url!.Length > 2000 ? $"{what} is longer than 2000 characters" : null;
    }
}

/// <summary>ntfy: the message is POSTed to the topic URL (<c>https://ntfy.sh/my-topic</c> or a self-hosted server).</summary>
/// <param name="Priority">ntfy's 1 (min) to 5 (urgent); 4 (high) makes the phone buzz.</param>
/// <param name="Tags">ntfy tags; names of emoji show as icons.</param>
/// <param name="Token">An ntfy access token for a protected topic; sent as a bearer token.</param>
public sealed record NtfyChannel(string Url, int Priority = 4, IReadOnlyList<string>? Tags = null, string? Token = null)
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (AlertSettings.UrlProblem(Url, "ntfy topic URL") is { } bad) problems.Add(bad);
        else if (new Uri(Url).AbsolutePath.Trim('/').Length == 0) problems.Add("ntfy topic URL has no topic: use https://ntfy.sh/your-topic");
        if (Priority is < 1 or > 5) problems.Add("ntfy priority must be 1 (min) to 5 (urgent)");
        if (Tags is { Count: > 10 }) problems.Add("at most 10 ntfy tags");
        // A tag goes into a comma-separated HTTP header: printable ASCII only, no commas.
        if (Tags?.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 40 || t.Any(c => c is ',' or < ' ' or > '~')) == true)
            problems.Add("each ntfy tag must be 1 to 40 printable ASCII characters without commas");
        if (Token is not null && (Token.Length is 0 or > 200 || Token.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
            problems.Add("ntfy token must be 1 to 200 characters without spaces");
        return problems;
    }
}

/// <summary>A generic webhook: a JSON POST of the prompt to this URL.</summary>
public sealed record WebhookChannel(string Url)
{
    public IReadOnlyList<string> Validate() =>
        AlertSettings.UrlProblem(Url, "webhook URL") is { } bad ? [bad] : [];
}
