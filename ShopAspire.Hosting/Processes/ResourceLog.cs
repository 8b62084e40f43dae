namespace ShopAspire.Hosting.Processes;

/// <summary>
/// The console output of one resource: the last lines in memory (for crash reports and tests) and
/// every line in a file under the stack's log folder, so a user can read the whole of it.
/// </summary>
public sealed class ResourceLog : IDisposable
{
    private const int KeptLines = 2000;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private readonly StreamWriter? _file;

    public ResourceLog(string resourceName, string? filePath)
    {
        ResourceName = resourceName;
        FilePath = filePath;
        if (filePath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
            _file = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    public string ResourceName { get; }

    public string? FilePath { get; }

    public void Append(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
            _file?.WriteLine(line);
        }
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_gate)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToArray();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
        }
    }
}
