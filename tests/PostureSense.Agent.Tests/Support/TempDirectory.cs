namespace PostureSense.Agent.Tests.Support;

/// <summary>A fresh directory under temp, removed on dispose.</summary>
sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("posturesense-agent-test-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
