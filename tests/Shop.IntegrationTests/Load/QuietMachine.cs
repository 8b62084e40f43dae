using System.Globalization;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// Waits until the machine's CPUs are mostly idle (from /proc/stat), so that a measurement is not
/// taken while another test collection's drill owns the cores. The load gate's stack starts beside
/// the other collections and its measured runs wait here until they have finished; on a machine
/// that never gets quiet (a busy CI host) it goes ahead after <c>atMost</c> and says so.
/// </summary>
public static class QuietMachine
{
    /// <summary>The share of CPU time spent busy over <paramref name="window"/> (0 to 1), or null where /proc/stat is not readable.</summary>
    public static async Task<double?> BusyShareAsync(TimeSpan window, CancellationToken cancellationToken = default)
    {
        var before = ReadCpuTimes();
        await Task.Delay(window, cancellationToken);
        var after = ReadCpuTimes();
        if (before is null || after is null || after.Value.Total <= before.Value.Total)
        {
            return null;
        }
        return 1.0 - (double)(after.Value.Idle - before.Value.Idle) / (after.Value.Total - before.Value.Total);
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

    private static (long Idle, long Total)? ReadCpuTimes()
    {
        try
        {
            // First line: "cpu  user nice system idle iowait irq softirq steal ..." in clock ticks.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Take(8).Sum();
            return (idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
