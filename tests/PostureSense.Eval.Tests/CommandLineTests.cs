using PostureSense.Core.Configuration;
using PostureSense.Eval.Running;
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
    [InlineData(new[] { "--parallel", "0" }, "--parallel 0: must be a whole number from 1 to 64")]
    [InlineData(new[] { "--parallel", "two" }, "--parallel two")]
    [InlineData(new[] { "--scenario" }, "--scenario needs a value")]
    [InlineData(new[] { "--scenario", "--parallel", "2" }, "--scenario needs a value")]
    [InlineData(new[] { "--dir", "/no/such/folder" }, "--dir /no/such/folder: no such folder")]
    [InlineData(new[] { "--fast" }, "unknown option --fast")]
    public void Bad_options_are_refused_in_one_line(string[] args, string message)
    {
        var e = Assert.Throws<OptionsException>(() => EvalOptions.Parse(args));
        Assert.Contains(message, e.Message);
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
