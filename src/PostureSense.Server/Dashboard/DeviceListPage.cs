using System.Text;
using Microsoft.AspNetCore.Http;
using PostureSense.Server.Api;
using PostureSense.Server.Storage;
using static PostureSense.Server.Dashboard.Html;

namespace PostureSense.Server.Dashboard;

/// <summary><c>GET /</c>: the wearer's devices, newest data first, and a form to claim another.</summary>
static class DeviceListPage
{
    const string ClaimForm =
        "<h2>Add a device</h2><form method=\"post\" action=\"/devices\"><label>Device id <input name=\"deviceId\" " +
        "pattern=\"[a-z0-9][a-z0-9\\-]{0,62}\" required></label> <button>Claim</button></form>" +
        "<form method=\"post\" action=\"/logout\"><p><button>Sign out</button></p></form>";

    public static async Task<IResult> RenderAsync(IReadOnlyList<string> owned, IPostureStore store, TimeProvider clock, CancellationToken ct)
    {
        var devices = (await DeviceView.ForAsync(store, owned, clock.GetUtcNow(), ct)).OrderByDescending(d => d.LastFrameTs ?? 0).ToList();
        var body = new StringBuilder("<h1>Devices</h1>");
        if (devices.Count == 0)
        {
            body.Append("<p>You have no device yet. Claim one by its id (the agent's <code>--device-id</code>).</p>").Append(ClaimForm);
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
        body.Append("</tbody></table>").Append(ClaimForm);
        return Page("Devices", body.ToString());
    }
}
