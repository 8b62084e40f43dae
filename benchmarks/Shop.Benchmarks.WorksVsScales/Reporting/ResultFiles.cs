using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shop.Benchmarks.WorksVsScales.Reporting;

/// <summary>
/// Writes a run to its out folder: one SVG chart per pair (<c>{chart}.svg</c>), results.json
/// (everything, for tools) and results.md (the table, the figures and the charts, for people).
/// </summary>
public static class ResultFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<IReadOnlyList<string>> WriteAsync(BenchRun run, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var chart in Charts(run.Results))
        {
            var path = Path.Combine(directory, chart.Key + ".svg");
            await File.WriteAllTextAsync(path, SvgChart.Render(chart.Title, chart.Series));
            written.Add(path);
        }

        var json = Path.Combine(directory, "results.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(run, Json) + "\n");
        var markdown = Path.Combine(directory, "results.md");
        await File.WriteAllTextAsync(markdown, Markdown(run));
        written.Add(json);
        written.Add(markdown);
        return written;
    }

    private sealed record Chart(string Key, string Title, IReadOnlyList<ChartSeries> Series);

    /// <summary>One chart per chart key; a side shared by two rows (the cache pair's Postgres side) is drawn once.</summary>
    private static IEnumerable<Chart> Charts(IReadOnlyList<PairResult> results) =>
        results.GroupBy(r => r.Chart).Select(group =>
        {
            var series = group
                .SelectMany(r => new[]
                {
                    (Label: r.NaiveLabel, Point: new ChartPoint(r.Size, r.Naive.MedianMs, r.Naive.P95Ms)),
                    (Label: r.ScalableLabel, Point: new ChartPoint(r.Size, r.Scalable.MedianMs, r.Scalable.P95Ms)),
                })
                .GroupBy(s => s.Label)
                .Select(s => new ChartSeries(s.Key, [.. s.Select(x => x.Point).DistinctBy(p => p.Rows)]))
                .ToList();
            return new Chart(group.Key, group.First().Title, series);
        });

    public static IEnumerable<string> ChartFiles(IReadOnlyList<PairResult> results) => Charts(results).Select(c => c.Key + ".svg");

    private static string Markdown(BenchRun run)
    {
        var md = new StringBuilder();
        md.AppendLine("# Works vs scales: results");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Measured {run.StartedAtUtc:yyyy-MM-dd HH:mm} UTC on {run.ProcessorCount} cores (shared), {run.Rounds} rounds per pair and size after {run.WarmupRounds} warm-up rounds, sides interleaved; whole run {run.TotalSeconds:0} s.");
        md.AppendLine("Written by `benchmarks/Shop.Benchmarks.WorksVsScales`; see docs/works-vs-scales.md.");
        md.AppendLine();
        md.AppendLine("| rows in orders | order lines | products | customers | seeded in |");
        md.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var size in run.Sizes)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Numbers.Rows(size.Orders)} | {size.OrderLines:N0} | {Numbers.Rows(size.Products)} | {Numbers.Rows(size.Customers)} | {size.SeedSeconds:0.0} s |");
        }
        md.AppendLine();
        md.AppendLine(Table(run.Results));
        md.AppendLine("## Charts");
        md.AppendLine();
        foreach (var file in ChartFiles(run.Results))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"![{file}]({file})");
            md.AppendLine();
        }
        md.AppendLine("## Figures");
        md.AppendLine();
        md.AppendLine("```");
        foreach (var (name, value) in ResultTable.Figures(run.Results))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"{name}: {value}");
        }
        md.AppendLine("```");
        return md.ToString();
    }

    /// <summary>The results as a Markdown table (also pasted into docs/works-vs-scales.md).</summary>
    public static string Table(IReadOnlyList<PairResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("| pair | rows | naive | median ms | p95 ms | scalable | median ms | p95 ms | ratio |");
        md.AppendLine("|---|---:|---|---:|---:|---|---:|---:|---:|");
        foreach (var r in results)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Title} | {Numbers.Rows(r.Size)} | {r.NaiveLabel} | {Numbers.Ms(r.Naive.MedianMs)} | {Numbers.Ms(r.Naive.P95Ms)} | {r.ScalableLabel} | {Numbers.Ms(r.Scalable.MedianMs)} | {Numbers.Ms(r.Scalable.P95Ms)} | {Numbers.Ratio(r.Ratio)} |");
        }
        return md.ToString();
    }
}
