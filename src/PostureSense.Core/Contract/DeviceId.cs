using System.Text.RegularExpressions;

namespace PostureSense.Core.Contract;

/// <summary>Device ids as the wire contract allows them: <c>^[a-z0-9][a-z0-9-]{0,62}$</c>.</summary>
public static partial class DeviceId
{
    // \z, not $: $ would let a trailing newline through.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    public static string Require(string? id, string what = "device id") =>
        IsValid(id) ? id! : throw new ArgumentException(
            $"{what} '{id}' is not valid: use 1-63 lowercase letters, digits or '-', starting with a letter or digit");
}
