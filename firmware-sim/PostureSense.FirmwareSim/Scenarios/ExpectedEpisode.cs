using PostureSense.Core.Exercises;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// A prolonged episode the coaching rules must find in a scenario: the behaviour starts at
/// <see cref="Start"/> and the rule's criterion is met at <see cref="CriterionMet"/> (offsets from the scenario start).
/// </summary>
public sealed record ExpectedEpisode(PromptReason Kind, TimeSpan Start, TimeSpan CriterionMet);
