namespace PostureSense.Accounts;

/// <summary>What an email and a password must be to make an account.</summary>
public static class Credentials
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    /// <summary>The email trimmed, as it is stored and compared (without case).</summary>
    public static string Normalize(string? email) => (email ?? "").Trim();

    public static IReadOnlyList<string> Problems(string? email, string? password)
    {
        var problems = new List<string>();
        var e = Normalize(email);
        var at = e.IndexOf('@');
        if (e.Length is 0 or > 254 || at <= 0 || at == e.Length - 1 || e.IndexOf('@', at + 1) >= 0 || e.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            problems.Add("email must look like name@example.org");
        if (password is null || password.Length < MinPasswordLength)
            problems.Add($"password must be at least {MinPasswordLength} characters");
        else if (password.Length > MaxPasswordLength)
            problems.Add($"password must be at most {MaxPasswordLength} characters");
        return problems;
    }
}
