using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PostureSense.Server.Http;

/// <summary>
/// The answers every JSON endpoint gives alike (the API's, the accounts', settings' and alerts'):
/// one JSON style, and errors as <see cref="ErrorView"/> or <see cref="ProblemsView"/> bodies.
/// </summary>
public static class Answers
{
    public static readonly JsonSerializerOptions Json = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The JSON of every endpoint: web defaults, enums as camelCase strings. Also the typed results' (<c>HttpJsonOptions</c>).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        // Served as application/json, never inlined into HTML: readable quotes and accents are safe here.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    public static BadRequest<ErrorView> BadId(string id) =>
        TypedResults.BadRequest(new ErrorView(Core.Contract.DeviceId.NotAnIdMessage(id)));

    /// <summary>Not the wearer's and not there look the same: no probing which devices exist.</summary>
    public static NotFound<ErrorView> NotYours(string id) => TypedResults.NotFound(new ErrorView($"you have no device '{id}'"));

    /// <summary>An error whose status is not one of the typed results' (401, 403, 413, 415, 503), same body.</summary>
    public static JsonHttpResult<ErrorView> Error(int status, string message) => TypedResults.Json(new ErrorView(message), Json, statusCode: status);

    public static BadRequest<ProblemsView> Invalid(string message, IReadOnlyList<string> problems) =>
        TypedResults.BadRequest(new ProblemsView(message, problems));
}
