using System.Globalization;

namespace Shop.Benchmarks.WorksVsScales.Reporting;

/// <summary>How figures are written everywhere: invariant culture, enough digits to compare.</summary>
public static class Numbers
{
    public static string Ms(double ms) => ms.ToString(ms < 1 ? "0.000" : ms < 100 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) => ratio.ToString(ratio < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Rows(int rows) => rows.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>10000 → "10k", 1000000 → "1M": axis labels and file-friendly names.</summary>
    public static string Short(double rows) => rows switch
    {
        >= 1_000_000 => (rows / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (rows / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => rows.ToString("0.#", CultureInfo.InvariantCulture),
    };
}
