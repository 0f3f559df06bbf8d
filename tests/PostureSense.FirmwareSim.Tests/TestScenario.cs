using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>A scenario of the given segments alone, for tests of the wearer model.</summary>
internal static class TestScenario
{
    public static Scenario Parse(string segments, int seed = 3) =>
        Scenario.Parse($$"""{ "name": "t", "description": "t", "seed": {{seed}}, "segments": [{{segments}}], "expected": [] }""");
}
