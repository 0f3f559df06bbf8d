using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.Hosting.Tests;

public sealed class LayeringTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("posturesense-layering-").FullName;
    readonly Dictionary<string, string> _environment = [];

    /// <summary>A made-up program with one option of each kind the programs use.</summary>
    internal sealed class Settings
    {
        public string? Store { get; set; }
        public int? Devices { get; set; }
        public double? Speed { get; set; }
        public bool ExitWhenDone { get; set; }
        public List<string> Scenario { get; set; } = [];
    }

    static RootCommand Program() => ProgramCommandLine.Root("a test program",
        new Option<string>("--store") { Description = "where" },
        new Option<int>("--devices"),
        new Option<double>("--speed"),
        new Option<bool>("--exit-when-done"),
        new Option<string[]>("--scenario") { AllowMultipleArgumentsPerToken = false });

    LayeredConfiguration Load(params string[] args) => LayeredConfiguration.Load(
        ProgramCommandLine.Parse(Program(), args),
        new SettingsSources { AppSettingsDirectories = [_dir], Environment = name => _environment.GetValueOrDefault(name) });

    void AppSettings(string json) => File.WriteAllText(Path.Combine(_dir, "appsettings.json"), json);

    static Settings Bind(LayeredConfiguration layers) => layers.Settings.Get<Settings>() ?? new Settings();

    [Fact]
    public void The_command_line_beats_the_environment_which_beats_appsettings()
    {
        AppSettings("""{"PostureSense":{"Store":"from-file","Devices":1,"Speed":1.5}}""");
        _environment["POSTURESENSE_STORE"] = "from-env";
        _environment["POSTURESENSE_DEVICES"] = "2";

        var layers = Load("--store", "from-args");
        var settings = Bind(layers);

        Assert.Equal("from-args", settings.Store);
        Assert.Equal(2, settings.Devices);
        Assert.Equal(1.5, settings.Speed);
        Assert.Equal("--store", layers.SourceOf("Store"));
        Assert.Equal("POSTURESENSE_DEVICES", layers.SourceOf("Devices"));
        Assert.Equal("appsettings.json PostureSense:Speed", layers.SourceOf("Speed"));
    }

    [Fact]
    public void Sections_other_than_the_settings_stay_readable()
    {
        AppSettings("""{"Logging":{"LogLevel":{"Default":"Warning"}}}""");

        Assert.Equal("Warning", Load()["Logging:LogLevel:Default"]);
    }

    [Theory]
    [InlineData("--store", "sqlite:a.db", "--speed", "2.5")]
    [InlineData("--store=sqlite:a.db", "--speed=2.5", null, null)]
    public void Values_follow_their_option_after_a_space_or_an_equals_sign(string a, string b, string? c, string? d)
    {
        var settings = Bind(Load(new[] { a, b, c, d }.OfType<string>().ToArray()));

        Assert.Equal("sqlite:a.db", settings.Store);
        Assert.Equal(2.5, settings.Speed);
    }

    [Fact]
    public void A_flag_given_bare_is_on_and_absent_is_off()
    {
        Assert.True(Bind(Load("--exit-when-done")).ExitWhenDone);
        Assert.False(Bind(Load()).ExitWhenDone);
    }

    [Fact]
    public void A_repeated_option_is_a_list_that_replaces_a_lower_layers_list_whole()
    {
        AppSettings("""{"PostureSense":{"Scenario":["a","b","c"]}}""");

        Assert.Equal(["a", "b", "c"], Bind(Load()).Scenario);
        Assert.Equal(["x"], Bind(Load("--scenario", "x")).Scenario);
        Assert.Equal(["x", "y"], Bind(Load("--scenario", "x", "--scenario=y")).Scenario);
    }

    [Fact]
    public void Every_problem_is_listed_at_once_each_named_by_where_it_came_from()
    {
        AppSettings("""{"PostureSense":{"Speed":"fast"}}""");
        _environment["POSTURESENSE_DEVICES"] = "many";

        var layers = Load("--fast", "--store");
        var error = Assert.Throws<OptionsException>(() => layers.StartChecks().ThrowIfAny());

        Assert.Equal("unknown option '--fast'; option '--store' needs a value; " +
                     "POSTURESENSE_DEVICES 'many' must be a whole number; appsettings.json PostureSense:Speed 'fast' must be a number",
            error.Message);
        Assert.Null(Bind(layers).Speed);
    }

    [Fact]
    public void A_value_of_the_wrong_type_or_given_twice_is_refused_by_name()
    {
        Assert.Equal(["--devices 'ten' must be a whole number"], Load("--devices", "ten").Problems);
        Assert.Equal(["option '--store' is given twice"], Load("--store", "a", "--store", "b").Problems);
        Assert.Equal(["unexpected argument 'stray'"], Load("stray").Problems);
        Assert.Equal(["option '--store' needs a value", "unexpected argument '2'"], Load("--store", "--speed", "2").Problems);
    }

    [Fact]
    public void A_bad_command_line_is_one_line_on_stderr_and_exit_code_2()
    {
        var stderr = new StringWriter();
        var problem = Assert.Throws<OptionsException>(() => Load("--fast").StartChecks().ThrowIfAny());

        Assert.Equal(2, ProgramCommandLine.Refuse("test-program", problem, stderr));
        Assert.Equal("test-program: unknown option '--fast'" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void Empty_values_are_as_if_not_given()
    {
        AppSettings("""{"PostureSense":{"Store":"from-file"}}""");
        _environment["POSTURESENSE_STORE"] = "  ";

        Assert.Equal("from-file", Bind(Load()).Store);
    }

    [Fact]
    public void Help_is_generated_and_names_each_options_variable()
    {
        var parsed = ProgramCommandLine.Parse(Program(), ["--help"]);
        Assert.True(ProgramCommandLine.WantsHelp(parsed));
        Assert.False(ProgramCommandLine.WantsHelp(ProgramCommandLine.Parse(Program(), ["--store", "x"])));

        var help = ProgramCommandLine.Help(Program());
        Assert.Contains("--store", help);
        Assert.Contains("where [POSTURESENSE_STORE]", help);
        Assert.Contains("[POSTURESENSE_EXIT_WHEN_DONE]", help);
        Assert.DoesNotContain("--version", help);
    }

    [Fact]
    public void Broken_appsettings_is_one_clear_line()
    {
        AppSettings("{ not json");

        var error = Assert.Throws<OptionsException>(() => Load());
        Assert.StartsWith("appsettings.json cannot be read", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
