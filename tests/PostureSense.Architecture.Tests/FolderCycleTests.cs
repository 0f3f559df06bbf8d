using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace PostureSense.Architecture.Tests;

/// <summary>
/// A folder is a concern: it may use other folders, but two folders that use each other are one
/// concern split in two, and a change to either drags the other along. These rules read the
/// compiled assemblies' type references (fields, signatures and method bodies alike).
/// </summary>
public sealed class FolderCycleTests
{
    static readonly ArchUnitNET.Domain.Architecture Agent = new ArchLoader()
        .LoadAssemblies(typeof(PostureSense.Agent.PostureAgent).Assembly).Build();

    static readonly ArchUnitNET.Domain.Architecture Server = new ArchLoader()
        .LoadAssemblies(typeof(PostureSense.Server.PostureServer).Assembly).Build();

    [Fact]
    public void Agent_folders_use_each_other_in_one_direction_only() =>
        Slices().Matching("PostureSense.Agent.(*)..").Should().BeFreeOfCycles().Check(Agent);

    [Fact]
    public void Server_folders_use_each_other_in_one_direction_only() =>
        Slices().Matching("PostureSense.Server.(*)..").Should().BeFreeOfCycles().Check(Server);

    /// <summary>
    /// Hosting is the server's composition root: it joins every folder, so a folder that used it
    /// would depend on all the others. Only the entry point (<c>PostureServer</c>) starts from it.
    /// </summary>
    [Fact]
    public void Only_the_server_entry_point_uses_its_composition_root() =>
        Types().That().DoNotResideInNamespaceOrBelow("PostureSense.Server.Hosting")
            .And().DoNotResideInNamespace("PostureSense.Server")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceOrBelow("PostureSense.Server.Hosting"))
            .Check(Server);
}
