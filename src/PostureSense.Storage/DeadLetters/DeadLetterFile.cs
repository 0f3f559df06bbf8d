using System.Text;
using System.Text.Json;

namespace PostureSense.Storage.DeadLetters;

/// <summary>
/// Where dead letters are kept: one JSON object a line, appended, beside the server's app
/// database (<c>dead-letters.jsonl</c>), whichever store the frames go to, so an InfluxDB that
/// refuses a point does not have to hold the record of refusing it. Bounded: past
/// <see cref="MaxBytes"/> the file becomes <c>.1</c> (replacing the one before) and a new one
/// starts, so a device that keeps sending what cannot be stored cannot fill the disk. Without a
/// path (a store opened by a tool or a test) the newest <see cref="MaxInMemory"/> are kept in memory.
/// </summary>
public sealed class DeadLetterFile
{
    public const long DefaultMaxBytes = 8 * 1024 * 1024;
    public const int MaxInMemory = 1000;
    public const string FileName = "dead-letters.jsonl";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly Lock _lock = new();
    readonly Queue<DeadLetter> _memory = new();
    long _current, _previous;

    /// <param name="path">The file; null keeps them in memory only.</param>
    public DeadLetterFile(string? path, long maxBytes = DefaultMaxBytes)
    {
        Path = path;
        MaxBytes = maxBytes;
        if (path is not null) (_current, _previous) = (CountLines(path), CountLines(path + ".1"));
    }

    /// <summary>The file beside <paramref name="appDatabasePath"/>, or memory only when that is not a file.</summary>
    public static DeadLetterFile Beside(string? appDatabasePath) =>
        appDatabasePath is { Length: > 0 } db && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(db)) is { } dir && !db.Contains(":memory:", StringComparison.Ordinal)
            ? new DeadLetterFile(System.IO.Path.Combine(dir, FileName))
            : new DeadLetterFile(null);

    public string? Path { get; }
    public long MaxBytes { get; }

    /// <summary>Dead letters kept now (in the file and the one before it).</summary>
    public long Count
    {
        get { lock (_lock) return _current + _previous; }
    }

    /// <summary>Keeps one; never throws (a dead letter that cannot be written is logged by the caller's counters only).</summary>
    public bool Keep(DeadLetter letter)
    {
        lock (_lock)
        {
            if (Path is null)
            {
                _memory.Enqueue(letter);
                if (_memory.Count > MaxInMemory) _memory.Dequeue();
                _current = _memory.Count;
                return true;
            }
            try
            {
                var line = JsonSerializer.Serialize(letter, Json) + "\n";
                if (File.Exists(Path) && new FileInfo(Path).Length + Encoding.UTF8.GetByteCount(line) > MaxBytes)
                {
                    File.Move(Path, Path + ".1", overwrite: true);
                    (_previous, _current) = (_current, 0);
                }
                File.AppendAllText(Path, line);
                _current++;
                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>Every dead letter kept, oldest first.</summary>
    public IReadOnlyList<DeadLetter> ReadAll()
    {
        lock (_lock)
        {
            if (Path is null) return [.. _memory];
            var letters = new List<DeadLetter>();
            foreach (var file in (ReadOnlySpan<string>)[Path + ".1", Path])
            {
                if (!File.Exists(file)) continue;
                foreach (var line in File.ReadLines(file))
                {
                    try
                    {
                        if (line.Length > 0 && JsonSerializer.Deserialize<DeadLetter>(line, Json) is { } letter) letters.Add(letter);
                    }
                    catch (JsonException) { } // a line cut short by a crash: the rest still reads
                }
            }
            return letters;
        }
    }

    static long CountLines(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).LongCount(l => l.Length > 0) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
