using System.CommandLine;
using PostureSense.Hosting.Options;

namespace PostureSense.Hosting.Tests;

/// <summary>A program with verbs (<c>tool users add</c>): the mistakes people make with verbs, each named once.</summary>
public sealed class VerbTests
{
    static RootCommand Tool()
    {
        var root = ProgramCommandLine.Root("a tool with verbs");
        var users = new Command("users", "accounts");
        users.Subcommands.Add(ProgramCommandLine.Verb("add", "add one", new Option<string>("--email")));
        users.Subcommands.Add(ProgramCommandLine.Verb("list", "list them"));
        root.Subcommands.Add(users);
        return root;
    }

    static IReadOnlyList<string> Problems(params string[] args) =>
        LayeredConfiguration.Load(ProgramCommandLine.Parse(Tool(), args),
            new SettingsSources { AppSettingsDirectories = [], Environment = _ => null }).Problems;

    [Fact]
    public void A_mistyped_verb_is_named_alone()
    {
        Assert.Equal(["unknown command 'user'"], Problems("user", "add", "--email", "a@example.org"));
        Assert.Equal(["unknown users command 'remove'"], Problems("users", "remove", "--email", "a@example.org"));
    }

    [Fact]
    public void A_missing_verb_lists_the_verbs()
    {
        Assert.Equal(["users needs a command: add, list"], Problems("users"));
    }

    [Fact]
    public void The_value_of_an_unknown_option_is_not_a_second_problem()
    {
        Assert.Equal(["unknown option '--colour'"], Problems("users", "add", "--email", "a@example.org", "--colour", "red"));
        Assert.Equal(["unknown option '--colour'", "unexpected argument 'red'"], Problems("users", "add", "--colour=blue", "red"));
    }

    [Fact]
    public void An_option_given_twice_is_one_problem_and_not_also_missing()
    {
        var layers = LayeredConfiguration.Load(ProgramCommandLine.Parse(Tool(), ["users", "add", "--email", "a", "--email", "b"]),
            new SettingsSources { AppSettingsDirectories = [], Environment = _ => null });
        var problems = layers.StartChecks();

        layers.Required(layers.Settings["Email"], "--email", problems);

        Assert.Equal(["option '--email' is given twice"], problems.All);
    }

    [Fact]
    public void Each_verb_has_its_own_generated_help()
    {
        var help = ProgramCommandLine.Help(Tool(), "users", "add");
        Assert.Contains("users add [options]", help);
        Assert.Contains("--email", help);
    }
}
