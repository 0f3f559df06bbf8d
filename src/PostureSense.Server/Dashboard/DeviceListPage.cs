using System.Text;
using Microsoft.AspNetCore.Http;
using PostureSense.Server.Api;
using PostureSense.Server.Storage;
using static PostureSense.Server.Dashboard.Html;

namespace PostureSense.Server.Dashboard;

/// <summary><c>GET /</c>: every device that has sent something, newest data first.</summary>
static class DeviceListPage
{
    public static async Task<IResult> RenderAsync(IPostureStore store, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var devices = (await store.ListDevicesAsync(ct)).Select(d => DeviceView.From(d, now))
            .OrderByDescending(d => d.LastFrameTs ?? 0).ToList();
        var body = new StringBuilder("<h1>Devices</h1>");
        if (devices.Count == 0)
        {
            body.Append("<p>No device has sent anything yet. Devices appear here on their first message.</p>");
            return Page("Devices", body.ToString());
        }
        body.Append("<table><thead><tr><th>Device</th><th>Status</th><th>Last data</th></tr></thead><tbody>");
        foreach (var d in devices)
        {
            var last = d.LastFrameTs is { } ts ? Time(ts, clock.LocalTimeZone, "yyyy-MM-dd HH:mm:ss") : "no frames yet";
            body.Append("<tr><td><a href=\"/devices/").Append(Uri.EscapeDataString(d.Id)).Append("\">").Append(E(d.Id)).Append("</a></td>")
                .Append(d.Online ? "<td class=\"online\">online</td>" : "<td class=\"offline\">offline</td>")
                .Append("<td>").Append(E(last)).Append("</td></tr>");
        }
        body.Append("</tbody></table>");
        return Page("Devices", body.ToString());
    }
}
