using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PostureSense.Server.Accounts;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Dashboard;

/// <summary>
/// The plain forms around the dashboard's pages (<see cref="Ui.DashboardUi"/>): <c>/login</c>,
/// <c>/signup</c> and <c>/logout</c>, and <c>POST /devices</c> to claim a device, which also works
/// before the page's interactive circuit is up.
/// </summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var accounts = app.ServiceProvider.GetRequiredService<AccountService>();
        var options = app.ServiceProvider.GetRequiredService<ServerOptions>();
        app.MapPost("/devices", async (HttpContext http, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var result = await accounts.ClaimAsync(http.User.WearerId()!.Value, form["deviceId"].ToString().Trim(), ct);
            return result.Succeeded
                ? Results.Redirect("/")
                : Html.Error(result.Outcome is null ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict, result.Error!);
        }).RequireAuthorization();

        app.MapGet("/login", (string? returnUrl) => LoginPage.Render(returnUrl, null, options.SignUpOpen));
        app.MapPost("/login", async (HttpContext http, CancellationToken ct) =>
        {
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = form["returnUrl"].ToString();
            if (await accounts.SignInAsync(form["email"], form["password"], ct) is not { } wearer)
                return LoginPage.Render(returnUrl, "Wrong email or password.", options.SignUpOpen, StatusCodes.Status401Unauthorized,
                    email: form["email"]);
            await WearerPrincipal.SignInAsync(http, wearer);
            return Results.Redirect(LoginPage.SafeReturn(returnUrl));
        }).RequireRateLimiting(SignInLimits.Policy);
        app.MapPost("/signup", async (HttpContext http, CancellationToken ct) =>
        {
            if (!options.SignUpOpen) return Html.Error(StatusCodes.Status403Forbidden, "Sign-up is closed on this server.");
            var form = await http.Request.ReadFormAsync(ct);
            var result = await accounts.SignUpAsync(form["email"], form["password"], ct);
            if (result.Wearer is null)
                return LoginPage.Render(null, string.Join("; ", result.Problems), true, StatusCodes.Status400BadRequest,
                    newEmail: form["email"]);
            await WearerPrincipal.SignInAsync(http, result.Wearer);
            return Results.Redirect("/");
        }).RequireRateLimiting(SignInLimits.Policy);
        app.MapPost("/logout", async (HttpContext http) =>
        {
            await WearerPrincipal.SignOutAsync(http);
            return Results.Redirect("/login");
        });
        return app;
    }
}
