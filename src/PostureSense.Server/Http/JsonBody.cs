using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PostureSense.Server.Http;

/// <summary>
/// Reads a request's JSON body with the answers a person can act on: 415 when it is not JSON, 413
/// past <see cref="MaxBytes"/>, 400 naming where the JSON is wrong, instead of the framework's
/// empty 400.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<(string? Text, JsonHttpResult<ErrorView>? Error)> ReadTextAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
            return (null, Answers.Error(StatusCodes.Status415UnsupportedMediaType, "send the body as application/json"));
        if (http.Request.ContentLength > MaxBytes) return (null, TooLarge());
        using var reader = new StreamReader(http.Request.Body);
        var buffer = new char[MaxBytes + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return read > MaxBytes ? (null, TooLarge()) : (new string(buffer, 0, read), null);
    }

    public static async Task<(T? Value, JsonHttpResult<ErrorView>? Error)> ReadAsync<T>(HttpContext http, CancellationToken cancellationToken) where T : class
    {
        var (text, error) = await ReadTextAsync(http, cancellationToken);
        if (error is not null) return (null, error);
        try
        {
            return JsonSerializer.Deserialize<T>(text!, Answers.Json) is { } value
                ? (value, null)
                : (null, Answers.Error(StatusCodes.Status400BadRequest, "the body is JSON null"));
        }
        catch (JsonException ex)
        {
            return (null, Answers.Error(StatusCodes.Status400BadRequest, $"malformed JSON: {ex.Message}"));
        }
    }

    static JsonHttpResult<ErrorView> TooLarge() => Answers.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBytes} bytes");
}
