using System.Globalization;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// Waits until the machine's CPUs are mostly idle (from /proc/stat), so that a measurement is not
/// taken while another test collection's drill owns the cores. The load gate runs on the crash
/// drills' stack once the drills are done, while other collections may still be running: its
/// measured runs wait here until they have finished; on a machine that never gets quiet (a busy CI
/// host) it goes ahead after <c>atMost</c> and says so in its report.
/// </summary>
public static class QuietMachine
{
    /// <summary>The share of CPU time spent busy over <paramref name="window"/> (0 to 1), or null where /proc/stat is not readable.</summary>
    public static async Task<double?> BusyShareAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        var before = ReadCpuLine();
        await Task.Delay(window, cancellationToken);
        var after = ReadCpuLine();
        return before is null || after is null ? null : BusyShare(before, after);
    }

    /// <summary>
    /// The busy share between two "cpu" lines of /proc/stat. Time stolen by the hypervisor for
    /// other guests is left out of both sides: on a shared CI host it is not this machine's
    /// work, and counting it as busy would keep a noisy host from ever looking quiet.
    /// </summary>
    public static double? BusyShare(string before, string after)
    {
        var (busy0, idle0) = Parse(before);
        var (busy1, idle1) = Parse(after);
        var counted = busy1 - busy0 + idle1 - idle0;
        return counted <= 0 ? null : (double)(busy1 - busy0) / counted;
    }

    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks;
    // guest time is already inside user and nice.
    private static (long Busy, long Idle) Parse(string cpuLine)
    {
        var t = cpuLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(7)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (t[0] + t[1] + t[2] + t[5] + t[6], t[3] + t[4]);
    }

    /// <summary>
    /// Returns once the CPUs were busy less than <paramref name="busyBelow"/> over two consecutive
    /// 3-second windows, or after <paramref name="atMost"/>; the result says which, for the report.
    /// </summary>
    public static async Task<string> WaitAsync(double busyBelow, TimeSpan atMost, CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var quietWindows = 0;
        double? last = null;
        while (clock.Elapsed < atMost)
        {
            last = await BusyShareAsync(TimeSpan.FromSeconds(3), cancellationToken);
            if (last is null)
            {
                return "CPU load unknown (no /proc/stat): not waited";
            }
            quietWindows = last < busyBelow ? quietWindows + 1 : 0;
            if (quietWindows == 2)
            {
                return string.Create(CultureInfo.InvariantCulture, $"waited {clock.Elapsed.TotalSeconds:0} s for a quiet machine (CPU {last:P0} busy)");
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"the machine stayed busy for {atMost.TotalSeconds:0} s (CPU {last:P0} busy); measured anyway");
    }

    private static string? ReadCpuLine()
    {
        try
        {
            return File.ReadLines("/proc/stat").First();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
