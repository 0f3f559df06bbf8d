using Microsoft.Playwright;

namespace PostureSense.Browser.Tests.Support;

/// <summary>
/// Records every system notification the page or its service worker registration shows, then lets
/// the real call through: a headless browser has no notification tray to look at.
/// </summary>
public static class NotificationSpy
{
    const string Script = """
        window.__shown = [];
        const record = (title, options) => window.__shown.push({
          title, body: options?.body ?? null, tag: options?.tag ?? null,
          actions: (options?.actions ?? []).map(a => a.action) });
        if (self.ServiceWorkerRegistration) {
          const show = ServiceWorkerRegistration.prototype.showNotification;
          ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
            record(title, options);
            return show.call(this, title, options);
          };
        }
        if (self.Notification) {
          const Real = self.Notification;
          self.Notification = class extends Real {
            constructor(title, options) { super(title, options); record(title, options); }
          };
        }
        """;

    public static Task InstallAsync(IPage page) => page.AddInitScriptAsync(Script);

    public record Shown(string Title, string? Body, string? Tag, string[] Actions);

    public static async Task<Shown[]> ShownAsync(IPage page)
    {
        var shown = await page.EvaluateAsync<System.Text.Json.JsonElement>("() => window.__shown ?? []");
        return [.. shown.EnumerateArray().Select(n => new Shown(
            n.GetProperty("title").GetString()!,
            n.GetProperty("body").GetString(),
            n.GetProperty("tag").GetString(),
            [.. n.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)]))];
    }
}
