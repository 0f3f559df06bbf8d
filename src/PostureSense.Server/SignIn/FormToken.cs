using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PostureSense.Server.SignIn;

/// <summary>
/// The antiforgery token of the plain forms (<c>/login</c>, <c>/signup</c>, <c>/logout</c>,
/// <c>/devices</c>, the password forms): rendered into each form, and checked before the form is
/// read, so a form posted from another site (login CSRF included) is a 400.
/// </summary>
static class FormToken
{
    public const string Refusal = "This form has expired or did not come from this server's page. Reload the page and try again.";

    /// <summary>The hidden field that carries the token; also sets the antiforgery cookie it is checked against.</summary>
    public static string Field(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken)}\">";
    }

    /// <summary>The endpoints run only with a valid token.</summary>
    public static TBuilder RequireFormToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            bool valid;
            // A form that breaks off cannot even be read for its token: the client's mistake, so a 400, never a 500.
            try { valid = await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http); }
            catch (AntiforgeryValidationException) { return SignInEndpoints.NotAForm(); }
            if (!valid) return Html.Error(StatusCodes.Status400BadRequest, Refusal);
            return await next(context);
        });
}
