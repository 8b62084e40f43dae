using System.Globalization;

namespace Shop.Benchmarks.OrderCost.Measuring;

/// <summary>
/// The whole machine's busy CPU time (/proc/stat's first line: all but idle and iowait), to say
/// how much of it the stack and the driver did not use: the share of other work on the machine.
/// </summary>
public static class MachineCpu
{
    public static double BusyMs()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return busy * 10.0;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
