using PostureSense.Core.Configuration;

namespace PostureSense.Hosting.Options;

/// <summary>
/// Every problem with a program's settings, gathered so that one start names them all instead of
/// one per attempt; thrown as one line, the problems separated by "; ".
/// </summary>
public sealed class OptionProblems
{
    readonly List<string> _problems;

    public OptionProblems(IEnumerable<string>? problems = null) => _problems = [.. problems ?? []];

    public IReadOnlyList<string> All => _problems;

    public void Add(string problem) => _problems.Add(problem);

    /// <summary>Runs a parse that throws <see cref="OptionsException"/>; its message is kept and <paramref name="fallback"/> returned.</summary>
    public T Check<T>(Func<T> parse, T fallback)
    {
        try
        {
            return parse();
        }
        catch (OptionsException ex)
        {
            _problems.Add(ex.Message);
            return fallback;
        }
    }

    public void ThrowIfAny()
    {
        if (_problems.Count > 0) throw new OptionsException(string.Join("; ", _problems));
    }
}
