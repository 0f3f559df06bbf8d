using PostureSense.Agent.Processing;

namespace PostureSense.Agent.Exercises;

/// <summary>What a counter made of a stretch: Cat-Cow cycles or Superman lifts, and the holds it timed.</summary>
public readonly record struct StretchCount(int? Reps, IReadOnlyList<double>? HoldsS)
{
    public bool Any => Reps > 0 || HoldsS is { Count: > 0 };
}

/// <summary>Counts one exercise from the samples taken while the wearer is in its position.</summary>
internal interface IStretchCounter
{
    void Observe(in TrunkSample sample);
    /// <summary>The count so far, closing a hold still going on.</summary>
    StretchCount Result();
}
