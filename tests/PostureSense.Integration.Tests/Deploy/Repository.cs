namespace PostureSense.Integration.Tests.Deploy;

/// <summary>The checkout the tests run from: deploy files are read from there, as an operator's docker build would.</summary>
static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")) && File.Exists(Path.Combine(dir.FullName, "PostureSense.sln")))
                return dir.FullName;
        throw new InvalidOperationException("docker-compose.yml not found above " + AppContext.BaseDirectory);
    }
}
