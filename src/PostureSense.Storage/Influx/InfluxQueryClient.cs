using System.Text.Json;

namespace PostureSense.Storage.Influx;

/// <summary>
/// Runs InfluxQL through the 1.x-compatible <c>GET /query</c> (1.x natively; 2.x/3.x with the
/// bucket as db), times as epoch ms, one answer per request (not chunked), so it parses in one go.
/// </summary>
public sealed class InfluxQueryClient(HttpClient http, InfluxEndpoint endpoint)
{
    /// <summary>Runs one or more statements (separated by ';'); throws with InfluxDB's message on any error.</summary>
    public async Task<InfluxQueryResult> QueryAsync(string influxQl, CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(InfluxHttp.QueryPath(endpoint, influxQl), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new InfluxQueryException($"InfluxDB at {endpoint.BaseUrl} could not be reached: {ex.Message}", null, ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await InfluxResponses.ErrorTextAsync(response, cancellationToken);
                throw new InfluxQueryException(
                    $"InfluxDB answered {(int)response.StatusCode} {response.StatusCode}: {error} (query on {endpoint}: {influxQl})", response.StatusCode);
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(body, default, cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new InfluxQueryException($"InfluxDB's answer to a query on {endpoint} is not JSON: {ex.Message}", response.StatusCode, ex);
            }
            if (InfluxQueryResult.Error(document.RootElement) is { } failed)
            {
                document.Dispose();
                throw new InfluxQueryException($"InfluxDB refused a query on {endpoint}: {failed} (query: {influxQl})", response.StatusCode);
            }
            return new InfluxQueryResult(document);
        }
    }

    /// <summary>GET /ping: whether anything InfluxDB-like answers (204 on 1.x/2.x, 200 on some 3.x builds).</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync("ping", cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new InfluxQueryException(
                    $"InfluxDB at {endpoint.BaseUrl} answered /ping with {(int)response.StatusCode}: {await InfluxResponses.ErrorTextAsync(response, cancellationToken)}",
                    response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new InfluxQueryException($"InfluxDB at {endpoint.BaseUrl} could not be reached: {ex.Message}", null, ex);
        }
    }
}
