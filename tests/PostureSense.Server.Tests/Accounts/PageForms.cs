using System.Text.RegularExpressions;

namespace PostureSense.Server.Tests.Accounts;

/// <summary>Posts a plain form the way its page does: with the antiforgery token the sign-in page handed this client.</summary>
static partial class PageForms
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The token of the sign-in page as this client (signed in or not) gets it; its cookie lands in the client's jar.</summary>
    public static async Task<string> TokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/login", Ct);
        return TokenField().Match(page) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("the sign-in page has no antiforgery token");
    }

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Name, string Value)[] fields) =>
        await client.PostAsync(path, Form([.. fields, ("__RequestVerificationToken", await TokenAsync(client))]), Ct);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
