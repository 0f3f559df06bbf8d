using System.Security.Cryptography;

namespace PostureSense.Core.Device;

/// <summary>
/// The secret a device shows its wearer, who types it when claiming the device: proof that they
/// hold it, since a device id is easy to guess. Twelve characters of an alphabet without the look-alikes
/// (no 0/O, 1/I/L, U), about 60 bits, read and typed in groups of four: XXXX-XXXX-XXXX.
/// </summary>
public static class PairingCode
{
    const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    public const int Length = 12;

    public static string Generate()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return Format(new string(chars));
    }

    /// <summary>
    /// The code as typed, made canonical (upper case, without spaces and dashes), or null when it
    /// cannot be a pairing code at all.
    /// </summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 64) return null;
        var chars = typed.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray();
        return chars.Length == Length && chars.All(c => Alphabet.Contains(c)) ? new string(chars) : null;
    }

    /// <summary>Canonical, grouped for reading aloud: ABCD-EFGH-JKMN.</summary>
    public static string Format(string code)
    {
        var canonical = Normalize(code) ?? throw new ArgumentException("not a pairing code", nameof(code));
        return $"{canonical[..4]}-{canonical[4..8]}-{canonical[8..]}";
    }
}
