namespace PostureSense.Hosting.Options;

/// <summary>Where the layers below the command line come from; tests replace the environment.</summary>
public sealed record SettingsSources
{
    /// <summary>Folders whose appsettings.json is read, later ones winning; a missing file is no error.</summary>
    public IReadOnlyList<string> AppSettingsDirectories { get; init; } = [Directory.GetCurrentDirectory()];

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The program's own folder, then the working directory: the server's choice.</summary>
    public static SettingsSources BesideProgramAndWorkingDirectory(string? workingDirectory = null) => new()
    {
        AppSettingsDirectories = new[] { AppContext.BaseDirectory, workingDirectory ?? Directory.GetCurrentDirectory() }
            .Select(Path.GetFullPath).Distinct().ToList(),
    };
}
