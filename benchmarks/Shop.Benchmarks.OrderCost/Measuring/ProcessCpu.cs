using System.Globalization;

namespace Shop.Benchmarks.OrderCost.Measuring;

/// <summary>CPU time per process group, in milliseconds, at one instant.</summary>
/// <param name="PostgresMs">The postgres group by process role (backends, autovacuum, checkpointer, ...).</param>
public sealed record CpuSample(IReadOnlyDictionary<string, double> GroupsMs, double DriverMs, IReadOnlyDictionary<int, (string Group, string Name)> Processes,
    IReadOnlyDictionary<string, double> PostgresMs)
{
    public double StackMs => GroupsMs.Values.Sum();
}

/// <summary>
/// CPU time of every process of the stack from /proc/&lt;pid&gt;/stat (utime + stime), grouped by
/// what the process is. A process also carries its reaped children's time (cutime + cstime): a
/// Postgres backend that exits during the window, or a health check's short-lived connection,
/// lands in the postmaster's, so summing over the live processes before and after counts every
/// tick once (an exited process's ticks before the window are in the "before" sum, its whole
/// life in its parent's "after").
/// </summary>
public static class ProcessCpu
{
    public static readonly string[] Groups = ["postgres", "api", "worker", "rabbitmq", "payments", "mail", "redis", "rest"];

    // USER_HZ: the unit of /proc's times, 100 on every Linux ABI.
    private const double MsPerTick = 1000.0 / 100;

    /// <summary>
    /// Samples the stack of the AppHost process <paramref name="appHostPid"/>: its descendants and
    /// DCP's, which daemonizes (its parent is init) but names the AppHost it serves on its command
    /// line (<c>--monitor &lt;pid&gt;</c>). This process is the driver (the in-process AppHost included).
    /// </summary>
    public static CpuSample Sample(int appHostPid)
    {
        var self = Environment.ProcessId;
        var stats = new Dictionary<int, Stat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                stats[pid] = stat;
            }
        }
        var children = stats.Values.ToLookup(s => s.Parent, s => s.Pid);
        var groups = Groups.ToDictionary(g => g, _ => 0.0, StringComparer.Ordinal);
        var processes = new Dictionary<int, (string, string)>();
        var postgres = new Dictionary<string, double>(StringComparer.Ordinal);
        var dcp = stats.Keys.Where(pid => pid != appHostPid && IsDcpOf(pid, appHostPid)).ToList();
        var frontier = new Queue<int>([appHostPid, .. dcp]);
        var seen = new HashSet<int>(dcp);
        if (appHostPid != self && stats.ContainsKey(appHostPid))
        {
            dcp.Add(appHostPid); // a running stack's AppHost process is part of it; this one is the driver
        }
        foreach (var pid in dcp)
        {
            Add(pid);
        }
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var pid in children[parent].Where(seen.Add))
            {
                frontier.Enqueue(pid);
                Add(pid);
            }
        }
        // The driver's own threads only: its reaped children (pgbench, the profilers) are not the stack.
        var driver = stats.TryGetValue(self, out var me) ? me.Own * MsPerTick : 0;
        return new CpuSample(groups, driver, processes, postgres);

        void Add(int pid)
        {
            var stat = stats[pid];
            var group = GroupOf(pid, stat.Name);
            processes[pid] = (group, stat.Name);
            var ms = (stat.Own + stat.ReapedChildren) * MsPerTick;
            groups[group] += ms;
            if (group == "postgres")
            {
                var role = PostgresRole(pid);
                postgres[role] = postgres.GetValueOrDefault(role) + ms;
            }
        }
    }

    /// <summary>
    /// What a postgres process does, from the title it sets ("postgres: checkpointer", "postgres:
    /// autovacuum worker", "postgres: user db 127.0.0.1(port) idle"); the postmaster carries the
    /// backends that exited.
    /// </summary>
    private static string PostgresRole(int pid)
    {
        var title = CommandLine(pid, "").Trim();
        if (!title.StartsWith("postgres: ", StringComparison.Ordinal))
        {
            return title.Contains("postgres.sh", StringComparison.Ordinal) ? "launcher" : "postmaster and exited backends";
        }
        var role = title["postgres: ".Length..];
        foreach (var known in new[] { "checkpointer", "background writer", "walwriter", "autovacuum launcher", "autovacuum worker", "logical replication launcher", "archiver" })
        {
            if (role.StartsWith(known, StringComparison.Ordinal))
            {
                return known;
            }
        }
        return "backends";
    }

    /// <summary>DCP's API server started for this AppHost: `dcp start-apiserver --monitor &lt;pid&gt; ...`.</summary>
    private static bool IsDcpOf(int pid, int appHostPid)
    {
        var commandLine = CommandLine(pid, "");
        return commandLine.Contains("dcp start-apiserver", StringComparison.Ordinal) &&
            commandLine.Contains($" --monitor {appHostPid} ", StringComparison.Ordinal);
    }

    private static string CommandLine(int pid, string fallback)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return fallback;
        }
    }

    /// <summary>The process group of one process, from its command line (a `dotnet run` names the project it runs).</summary>
    public static string GroupOf(int pid, string name)
    {
        var commandLine = CommandLine(pid, name);
        if (commandLine.Contains("Shop.Api", StringComparison.Ordinal))
        {
            return "api";
        }
        if (commandLine.Contains("Shop.Worker", StringComparison.Ordinal))
        {
            return "worker";
        }
        if (commandLine.Contains("Shop.PaymentProvider", StringComparison.Ordinal))
        {
            return "payments";
        }
        if (commandLine.Contains("smtp4dev", StringComparison.OrdinalIgnoreCase))
        {
            return "mail";
        }
        if (name.StartsWith("postgres", StringComparison.Ordinal) || commandLine.StartsWith("postgres", StringComparison.Ordinal) ||
            commandLine.Contains("/postgresql/", StringComparison.Ordinal) || commandLine.Contains("postgres.sh", StringComparison.Ordinal))
        {
            return "postgres";
        }
        if (commandLine.Contains("rabbit", StringComparison.OrdinalIgnoreCase) || name is "beam.smp" or "epmd" or "erl_child_setup" or "inet_gethost")
        {
            return "rabbitmq";
        }
        if (name.StartsWith("redis", StringComparison.Ordinal) || commandLine.Contains("redis.sh", StringComparison.Ordinal))
        {
            return "redis";
        }
        return "rest";
    }

    private sealed record Stat(int Pid, string Name, int Parent, long Own, long ReapedChildren);

    private static Stat? Read(int pid)
    {
        try
        {
            // "pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17)"; comm may hold spaces and parentheses.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var close = text.LastIndexOf(')');
            var fields = text[(close + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            return new Stat(pid, text[(open + 1)..close], (int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null; // It ended while we looked.
        }
    }
}
