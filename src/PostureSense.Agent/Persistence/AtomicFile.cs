namespace PostureSense.Agent.Persistence;

/// <summary>
/// Replaces a small file all at once: written to a temporary file, flushed to disk, then renamed
/// over the old one, so a power cut mid-write leaves the previous version, never half of one.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
