namespace Shop.Benchmarks.WorksVsScales.Reporting;

/// <summary>
/// The results as text: an aligned table, and one <c>name: value</c> line per figure
/// (<c>offset_vs_keyset_1000000_ratio: 183.2</c>) for scripts and docs/measuring.md.
/// </summary>
public static class ResultTable
{
    public static void Write(IReadOnlyList<PairResult> results, TextWriter output)
    {
        WriteHeader(output);
        WriteRows(results, output);
    }

    public static void WriteHeader(TextWriter output) =>
        output.WriteLine($"{"pair",-30}{"size",12}{"naive med",12}{"p95",10}{"scalable med",14}{"p95",10}{"ratio",9}   (ms; ratio = naive / scalable median)");

    /// <summary>Rows only: printed as each pair finishes, under one header per size.</summary>
    public static void WriteRows(IReadOnlyList<PairResult> results, TextWriter output)
    {
        foreach (var r in results)
        {
            output.WriteLine($"{r.Pair,-30}{Numbers.Rows(r.Size),12}{Numbers.Ms(r.Naive.MedianMs),12}{Numbers.Ms(r.Naive.P95Ms),10}"
                + $"{Numbers.Ms(r.Scalable.MedianMs),14}{Numbers.Ms(r.Scalable.P95Ms),10}{Numbers.Ratio(r.Ratio),9}");
        }
    }

    public static void WriteFigures(IReadOnlyList<PairResult> results, TextWriter output)
    {
        foreach (var (name, value) in Figures(results))
        {
            output.WriteLine($"{name}: {value}");
        }
    }

    public static IEnumerable<(string Name, string Value)> Figures(IReadOnlyList<PairResult> results)
    {
        foreach (var r in results)
        {
            var prefix = $"{r.Pair}_{r.Size}";
            yield return ($"{prefix}_naive_median_ms", Numbers.Ms(r.Naive.MedianMs));
            yield return ($"{prefix}_naive_p95_ms", Numbers.Ms(r.Naive.P95Ms));
            yield return ($"{prefix}_scalable_median_ms", Numbers.Ms(r.Scalable.MedianMs));
            yield return ($"{prefix}_scalable_p95_ms", Numbers.Ms(r.Scalable.P95Ms));
            yield return ($"{prefix}_ratio", Numbers.Ratio(r.Ratio));
            foreach (var figure in r.Figures)
            {
                yield return ($"{prefix}_{figure.Name}", figure.Value);
            }
        }
    }
}
