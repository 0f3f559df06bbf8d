namespace PostureSense.Server.Http;

public sealed record ErrorView(string Error);

/// <summary>A request that failed validation: every reason, for the person who made it.</summary>
public sealed record ProblemsView(string Error, IReadOnlyList<string> Problems);
