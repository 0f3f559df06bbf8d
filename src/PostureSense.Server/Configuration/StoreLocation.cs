using PostureSense.Core.Configuration;

namespace PostureSense.Server.Configuration;

public enum StoreKind
{
    Sqlite,
}

/// <summary>
/// Where the time series goes, as <c>scheme:rest</c>. Only <c>sqlite:PATH</c> exists so far; the
/// scheme is parsed first so that further backends slot in without changing how options read.
/// </summary>
public sealed record StoreLocation(StoreKind Kind, string Target)
{
    public static StoreLocation Default { get; } = new(StoreKind.Sqlite, "posturesense.db");

    /// <param name="source">Where the value came from, named in the error: the option, variable or setting.</param>
    public static StoreLocation Parse(string value, string source = "--store")
    {
        var colon = value.IndexOf(':');
        if (colon <= 0)
            throw new OptionsException($"{source} '{value}' has no scheme; use sqlite:PATH");
        var scheme = value[..colon].ToLowerInvariant();
        var rest = value[(colon + 1)..];
        return scheme switch
        {
            "sqlite" when rest.Trim().Length == 0 => throw new OptionsException($"{source} '{value}' has no file path; use sqlite:PATH"),
            "sqlite" => new StoreLocation(StoreKind.Sqlite, rest),
            _ => throw new OptionsException($"{source} '{value}' has the unknown scheme '{scheme}'; supported: sqlite:PATH"),
        };
    }

    public override string ToString() => Kind switch
    {
        StoreKind.Sqlite => "sqlite:" + Target,
        _ => Kind + ":" + Target,
    };
}
