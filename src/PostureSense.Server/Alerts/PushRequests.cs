using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;

namespace PostureSense.Server.Alerts;

/// <summary>The HTTP requests the push channels get for an alert.</summary>
public static class PushRequests
{
    /// <summary>
    /// ntfy's publish API: the message as the body, POSTed to the topic URL; title, priority
    /// (1-5), tags (comma separated) and up to three action buttons in headers. "Done" and "Snooze"
    /// are <c>http</c> actions the ntfy app POSTs to our signed links; "Open" opens the day's page.
    /// </summary>
    public static HttpRequestMessage Ntfy(NtfyChannel channel, PromptAlert alert, AlertLinks? links)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, channel.Url)
        {
            Content = new StringContent(alert.Message, Encoding.UTF8, "text/plain"),
        };
        var headers = request.Headers;
        headers.Add("Title", alert.Title);
        headers.Add("Priority", channel.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var tags = channel.Tags is { Count: > 0 } t ? t : ["muscle"]; // ntfy shows emoji short codes as the icon
        headers.Add("Tags", string.Join(',', tags));
        if (links is not null)
        {
            headers.Add("Click", links.Open.AbsoluteUri);
            headers.Add("Actions",
                $"http, Done, {links.Done.AbsoluteUri}, method=POST, clear=true; " +
                $"http, Snooze, {links.Snooze.AbsoluteUri}, method=POST, clear=true; " +
                $"view, Open, {links.Open.AbsoluteUri}");
        }
        if (channel.Token is { } token) headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A generic webhook: the alert as JSON, with the action links when the server has a public URL.</summary>
    public static HttpRequestMessage Webhook(WebhookChannel channel, PromptAlert alert, AlertLinks? links) =>
        new(HttpMethod.Post, channel.Url)
        {
            Content = JsonContent.Create(new WebhookPayload(alert.Reminder ? "reminder" : "prompt", alert, links),
                options: Http.Answers.Json),
        };

    public sealed record WebhookPayload(string Type, PromptAlert Alert, AlertLinks? Links);
}
