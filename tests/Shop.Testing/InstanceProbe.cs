using System.Diagnostics;
using System.Globalization;

namespace Shop.Testing;

/// <summary>
/// What a failed start or restart looks like from outside the orchestrator: per process, its state
/// and thread count, the TCP ports it listens on, and its own /health asked directly on each of
/// them (not through DCP's proxy, which every replica shares). It tells a service that never
/// listened, one that listens but does not answer, and one that answers while the proxy does not.
/// </summary>
internal static class InstanceProbe
{
    public static async Task<string> DescribeAsync(int pid)
    {
        var lines = new List<string>();
        foreach (var process in ProcessTree.Descendants(pid).Append(pid))
        {
            var ports = ListeningPorts(process);
            lines.Add($"pid {process}: {Status(process)}, listening on {(ports.Count == 0 ? "nothing" : string.Join(", ", ports))}");
            foreach (var port in ports)
            {
                lines.Add($"  GET http://127.0.0.1:{port}/health -> {await ProbeAsync(port)}");
            }
        }
        return string.Join('\n', lines);
    }

    private static string Status(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            string Field(string name) => status.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim() ?? "?";
            return $"{Field("Name")} state {Field("State")}, {Field("Threads")} threads";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "gone";
        }
    }

    /// <summary>Sockets in LISTEN state (0A) whose inode is one of the process's open descriptors.</summary>
    private static List<int> ListeningPorts(int pid)
    {
        try
        {
            var inodes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target[8..^1]);
                }
            }
            var ports = new SortedSet<int>();
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
            {
                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 9 && fields[3] == "0A" && inodes.Contains(fields[9]))
                    {
                        ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    }
                }
            }
            return [.. ports];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static async Task<string> ProbeAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
            var body = (await response.Content.ReadAsStringAsync()).ReplaceLineEndings(" | ");
            return $"{(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms: {body[..Math.Min(body.Length, 300)]}";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name} after {watch.ElapsedMilliseconds} ms: {e.Message}";
        }
    }
}
