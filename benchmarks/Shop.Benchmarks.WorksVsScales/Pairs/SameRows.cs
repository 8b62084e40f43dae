namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>Guards a pair's premise: both sides answer the same question with the same rows.</summary>
public static class SameRows
{
    public static void Check<T>(string pair, IEnumerable<T> naive, IEnumerable<T> scalable)
    {
        var a = naive.ToList();
        var b = scalable.ToList();
        if (a.Count == 0 || !a.SequenceEqual(b))
        {
            throw new InvalidOperationException($"{pair}: the naive side returned {a.Count} rows, the scalable side {b.Count}, and they differ; the pair would compare different work.");
        }
    }
}
