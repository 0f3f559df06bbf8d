using PostureSense.Core.Contract;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.History;
using PostureSense.Server.Configuration;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server.Ui.Shared;

/// <summary>
/// A page of the signed-in wearer. Every page sits behind sign-in, so the wearer is always known;
/// a device is shown only when it is theirs.
/// </summary>
public abstract class WearerPage : ComponentBase
{
    [CascadingParameter] Task<AuthenticationState> AuthenticationState { get; set; } = default!;
    [Inject] protected AccountService Accounts { get; set; } = default!;
    [Inject] protected SettingsService Settings { get; set; } = default!;
    [Inject] protected IPostureStore Store { get; set; } = default!;
    [Inject] protected DayReports Reports { get; set; } = default!;
    [Inject] protected DaySummaries Summaries { get; set; } = default!;
    /// <summary>The wearer's clock (<see cref="PostureClock"/>).</summary>
    [Inject(Key = PostureClock.Key)] protected TimeProvider Clock { get; set; } = default!;

    protected long WearerId { get; private set; }

    /// <summary>The zone clock times off a device's page are shown in: the server's. A device's days and times use its wearer's (<see cref="DayReports.ZoneFor"/>).</summary>
    protected TimeZoneInfo Zone => Reports.Zone;

    /// <summary>The device id in the page's route, as typed; null on a page of no device.</summary>
    protected virtual string? RouteDeviceId => null;

    /// <summary>The page's device, parsed once from the route; <c>default</c> when the route holds no device id.</summary>
    protected DeviceId Device { get; private set; }

    protected override async Task OnParametersSetAsync()
    {
        Device = DeviceId.TryParse(RouteDeviceId, out var device) ? device : default;
        var state = await AuthenticationState;
        WearerId = state.User.WearerId() ?? throw new InvalidOperationException("a dashboard page was rendered without a signed-in wearer");
        await LoadAsync();
    }

    /// <summary>Loads what the page shows; runs whenever its parameters (the device, the day) change.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>Whether the route names a device and it is the wearer's.</summary>
    protected bool OwnsDevice => !Device.IsEmpty && Accounts.Owns(WearerId, Device);

    protected string Time(long ts, string format = "HH:mm") => Show.Time(ts, Zone, format);
}
