using System.Xml.Linq;

namespace PostureSense.Integration.Tests.Deploy;

/// <summary>
/// The images' Dockerfiles copy their projects in two steps (project files, restore; sources,
/// publish) so the restore layer is reused. A project reference added later is easy to miss in
/// them, and no Docker engine runs here to notice: this replays each Dockerfile's COPY steps
/// against the repository and checks that every project the restore and the publish need, and
/// everything those reference, is in the image by then.
/// </summary>
public sealed class DockerfileTests
{
    [Theory]
    [InlineData("deploy/docker/Dockerfile.server")]
    [InlineData("deploy/docker/Dockerfile.agent")]
    public void Every_project_a_build_step_needs_was_copied_before_it(string dockerfile)
    {
        var image = new ImageFiles(Repository.Root());
        var steps = 0;
        foreach (var line in File.ReadLines(Path.Combine(Repository.Root(), dockerfile)).Select(l => l.Trim()))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["COPY", var first, ..] && !first.StartsWith("--", StringComparison.Ordinal))
                image.Copy(words[1..^1], words[^1]);
            else if (words is ["RUN", "dotnet", "restore" or "publish", var project, ..])
            {
                var sources = words[2] == "publish";
                var missing = image.MissingFor(project, sources);
                Assert.True(missing.Count == 0,
                    $"{dockerfile}: '{line}' needs {string.Join(", ", missing)}, which no COPY before it brings in");
                steps++;
            }
        }
        Assert.Equal(2, steps);
    }

    [Fact]
    public void A_project_reference_the_dockerfile_does_not_copy_is_found()
    {
        var image = new ImageFiles(Repository.Root());
        image.Copy(["src/PostureSense.Server/PostureSense.Server.csproj"], "src/PostureSense.Server/");
        image.Copy(["src/PostureSense.Core/PostureSense.Core.csproj"], "src/PostureSense.Core/");
        image.Copy(["global.json", "Directory.Build.props", "Directory.Packages.props"], "./");

        var missing = image.MissingFor("src/PostureSense.Server/PostureSense.Server.csproj", sources: false);

        Assert.Contains("src/PostureSense.Hosting/PostureSense.Hosting.csproj", missing);
        Assert.Contains(".editorconfig", missing);
        Assert.DoesNotContain("src/PostureSense.Core/PostureSense.Core.csproj", missing);
        Assert.DoesNotContain("global.json", missing);
    }

    /// <summary>Which repository paths the image's working directory holds after the COPY steps so far.</summary>
    sealed class ImageFiles(string repository)
    {
        static readonly string[] RootBuildFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", "NuGet.config"];

        /// <summary>Image path (relative, '/'-separated; a directory ends with '/') to the repository path it came from.</summary>
        readonly List<(string Image, string Source)> _copies = [];

        public void Copy(IReadOnlyList<string> sources, string destination)
        {
            foreach (var source in sources)
            {
                if (source.EndsWith('/')) _copies.Add((Normalize(destination).TrimEnd('/') + "/", Normalize(source)));
                else _copies.Add((destination.EndsWith('/') ? Normalize(destination) + Path.GetFileName(source) : Normalize(destination), Normalize(source)));
            }
        }

        /// <summary>What the project and everything it references lack in the image: their project files, and with <paramref name="sources"/> their code.</summary>
        public List<string> MissingFor(string project, bool sources)
        {
            // The build reads these from the root: the SDK, the versions, and the analyzer rules (without
            // .editorconfig the warnings it turns off are errors, as warnings are).
            var missing = RootBuildFiles.Where(f => File.Exists(Path.Combine(repository, f)) && SourceOf(f) is null).ToList();
            var seen = new HashSet<string>();
            var pending = new Stack<string>([Normalize(project)]);
            while (pending.TryPop(out var path))
            {
                if (!seen.Add(path)) continue;
                if (SourceOf(path) is not { } file || !File.Exists(file))
                {
                    missing.Add(path);
                    continue;
                }
                var directory = path[..(path.LastIndexOf('/') + 1)];
                if (sources && !HasCode(directory)) missing.Add(directory);
                foreach (var reference in XDocument.Load(file).Descendants("ProjectReference"))
                    pending.Push(Resolve(directory, reference.Attribute("Include")!.Value));
            }
            return missing;
        }

        /// <summary>The project's directory was copied whole (its code, not only the project file).</summary>
        bool HasCode(string directory) => _copies.Any(c => c.Image.EndsWith('/') && directory.StartsWith(c.Image, StringComparison.Ordinal));

        string? SourceOf(string imagePath)
        {
            for (var i = _copies.Count - 1; i >= 0; i--)
            {
                var (image, source) = _copies[i];
                if (image == imagePath) return Path.Combine(repository, source);
                if (image.EndsWith('/') && imagePath.StartsWith(image, StringComparison.Ordinal))
                    return Path.Combine(repository, source.TrimEnd('/'), imagePath[image.Length..]);
            }
            return null;
        }

        static string Resolve(string directory, string include)
        {
            var parts = new List<string>();
            foreach (var part in (directory + include.Replace('\\', '/')).Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "..") parts.RemoveAt(parts.Count - 1);
                else if (part != ".") parts.Add(part);
            }
            return string.Join('/', parts);
        }

        static string Normalize(string path)
        {
            var normalized = path.Replace('\\', '/');
            return normalized.StartsWith("./", StringComparison.Ordinal) ? normalized[2..] : normalized == "." ? "" : normalized.TrimStart('/');
        }
    }
}
