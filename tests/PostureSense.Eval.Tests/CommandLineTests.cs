using PostureSense.Core.Configuration;
using PostureSense.Eval.Running;
using PostureSense.Eval.Scoring;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Tests;

public class CommandLineTests
{
    [Fact]
    public void No_options_mean_the_whole_library_on_every_cpu()
    {
        var options = EvalOptions.Parse([]);
        Assert.Empty(options.Scenarios);
        Assert.Equal(Environment.ProcessorCount, options.Parallelism);
        Assert.True(ScenarioLibrary.Load(options).Count >= 30);
    }

    [Fact]
    public void Scenarios_can_be_named_repeatedly()
    {
        var options = EvalOptions.Parse(["--scenario", "walking", "--scenario", "stairs", "--parallel", "1"]);
        Assert.Equal(["walking", "stairs"], ScenarioLibrary.Load(options).Select(s => s.Name));
        Assert.Equal(1, options.Parallelism);
    }

    [Theory]
    [InlineData(new[] { "--parallel", "0" }, "--parallel '0' must be a whole number from 1 to 64")]
    [InlineData(new[] { "--parallel", "two" }, "--parallel 'two' must be a whole number")]
    [InlineData(new[] { "--scenario" }, "option '--scenario' needs a value")]
    [InlineData(new[] { "--scenario", "--parallel", "2" }, "option '--scenario' needs a value")]
    [InlineData(new[] { "--dir", "/no/such/folder" }, "--dir '/no/such/folder': no such folder")]
    [InlineData(new[] { "--fast" }, "unknown option '--fast'")]
    public void Bad_options_are_refused_in_one_line(string[] args, string message)
    {
        var e = Assert.Throws<OptionsException>(() => EvalOptions.Parse(args));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_truth_is_the_files_unless_the_reference_rules_are_asked_for()
    {
        Assert.Equal(TruthSource.File, EvalOptions.Parse([]).Truth);
        Assert.Equal(TruthSource.File, EvalOptions.Parse(["--truth", "file"]).Truth);
        Assert.Equal(TruthSource.Reference, EvalOptions.Parse(["--truth=reference"]).Truth);
        Assert.Contains("--truth 'sensor' must be file or reference", Assert.Throws<OptionsException>(() => EvalOptions.Parse(["--truth", "sensor"])).Message);
    }

    [Fact]
    public void Values_may_follow_an_equals_sign()
    {
        var options = EvalOptions.Parse(["--scenario=walking", "--parallel=3"]);
        Assert.Equal(["walking"], options.Scenarios);
        Assert.Equal(3, options.Parallelism);
    }

    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var e = Assert.Throws<OptionsException>(() => EvalOptions.Parse(["--parallel", "65", "--dir", "/no/such/folder", "--fast"]));
        Assert.Equal("unknown option '--fast'; --dir '/no/such/folder': no such folder; --parallel '65' must be a whole number from 1 to 64", e.Message);
    }

    [Fact]
    public void Help_is_asked_for_and_generated()
    {
        Assert.True(EvalOptions.Parse(["--help"]).ShowHelp);
        Assert.Contains("--scenario <NAME|PATH>", EvalOptions.Usage);
        Assert.Contains("[POSTURESENSE_PARALLEL]", EvalOptions.Usage);
    }

    [Fact]
    public void An_unknown_scenario_or_the_same_one_twice_is_refused()
    {
        Assert.Contains("no-such-day", Assert.Throws<ScenarioException>(() => ScenarioLibrary.Load(EvalOptions.Parse(["--scenario", "no-such-day"]))).Message);
        Assert.Contains("named twice", Assert.Throws<ScenarioException>(() => ScenarioLibrary.Load(EvalOptions.Parse(["--scenario", "walking", "--scenario", "walking"]))).Message);
    }

    [Fact]
    public void A_folder_of_scenarios_is_read_whole_and_a_bad_file_in_it_named()
    {
        var dir = Directory.CreateTempSubdirectory("eval-scenarios-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.json"), """{ "name": "a", "description": "d", "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }""");
            Assert.Equal("a", Assert.Single(ScenarioLibrary.Load(EvalOptions.Parse(["--dir", dir]))).Name);

            File.WriteAllText(Path.Combine(dir, "b.json"), """{ "name": "b", "description": "d", "segments": [ { "activity": "cat-cow", "seconds": 20, "reps": 12 } ], "expected": [] }""");
            var e = Assert.Throws<ScenarioException>(() => ScenarioLibrary.Load(EvalOptions.Parse(["--dir", dir])));
            Assert.Contains("b.json", e.Message);
            Assert.Contains("the cat-cow needs", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
