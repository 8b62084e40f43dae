using System.Globalization;
using System.Net;
using System.Text;

namespace Shop.Benchmarks.WorksVsScales.Reporting;

/// <summary>One line of a chart: a side's median latency at each data size, with its p95.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<ChartPoint> Points);

public sealed record ChartPoint(double Rows, double MedianMs, double P95Ms);

/// <summary>
/// Latency against data size on log-log axes, as a standalone SVG: one line per side through
/// the medians, a faint bar from each median up to its p95, the median written beside each point.
/// </summary>
/// <remarks>
/// Written by hand: the NuGet feed this project restores from serves no charting package, and
/// a few lines, dots and labels are plain SVG elements that any browser or Markdown viewer shows.
/// </remarks>
public static class SvgChart
{
    private const double Width = 760;
    private const double Height = 460;
    private const double Left = 80;
    private const double Right = 30;
    private const double Top = 92;
    private const double Bottom = 62;
    private const double PlotWidth = Width - Left - Right;
    private const double PlotHeight = Height - Top - Bottom;

    private static readonly string[] Colors = ["#c0392b", "#1e8449", "#2471a3", "#7d3c98"];

    public static string Render(string title, IReadOnlyList<ChartSeries> series)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        // x: half-open margins around the sizes, so the first and last points sit inside the frame.
        var xMin = Math.Log10(points.Min(p => p.Rows)) - 0.2;
        var xMax = Math.Log10(points.Max(p => p.Rows)) + 0.2;
        // y: whole decades that hold every median and p95, with room under the lowest point for its label.
        var yMin = Math.Floor(Math.Log10(points.Min(p => p.MedianMs)) - 0.2);
        var yMax = Math.Max(yMin + 1, Math.Ceiling(Math.Log10(points.Max(p => p.P95Ms)) + 0.05));
        double X(double rows) => Left + (Math.Log10(rows) - xMin) / (xMax - xMin) * PlotWidth;
        double Y(double ms) => Top + PlotHeight - (Math.Log10(ms) - yMin) / (yMax - yMin) * PlotHeight;

        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{N(Width)}" height="{N(Height)}" viewBox="0 0 {N(Width)} {N(Height)}" font-family="Helvetica, Arial, sans-serif">""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect width="{N(Width)}" height="{N(Height)}" fill="#ffffff"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(Left)}" y="28" font-size="18" font-weight="bold" fill="#222">{Escape(title)}</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(Left)}" y="48" font-size="12" fill="#555">median latency (line) and p95 (bar above each point); both axes log scale</text>""");

        // Grid: every decade, with lighter lines at 2x and 5x on the latency axis.
        for (var decade = yMin; decade <= yMax; decade++)
        {
            foreach (var factor in new[] { 1.0, 2.0, 5.0 })
            {
                var ms = Math.Pow(10, decade) * factor;
                if (Math.Log10(ms) > yMax + 1e-9)
                {
                    continue;
                }
                var y = Y(ms);
                var major = factor == 1.0;
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{N(Left)}" y1="{N(y)}" x2="{N(Left + PlotWidth)}" y2="{N(y)}" stroke="{(major ? "#cccccc" : "#eeeeee")}"/>""");
                if (major)
                {
                    svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(Left - 8)}" y="{N(y + 4)}" font-size="12" text-anchor="end" fill="#444">{LatencyTick(ms)}</text>""");
                }
            }
        }
        for (var decade = Math.Ceiling(xMin); decade <= xMax; decade++)
        {
            var x = X(Math.Pow(10, decade));
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{N(x)}" y1="{N(Top)}" x2="{N(x)}" y2="{N(Top + PlotHeight)}" stroke="#cccccc"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(x)}" y="{N(Top + PlotHeight + 18)}" font-size="12" text-anchor="middle" fill="#444">{Numbers.Short(Math.Pow(10, decade))}</text>""");
        }
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<rect x="{N(Left)}" y="{N(Top)}" width="{N(PlotWidth)}" height="{N(PlotHeight)}" fill="none" stroke="#888"/>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(Left + PlotWidth / 2)}" y="{N(Height - 16)}" font-size="13" text-anchor="middle" fill="#222">rows in orders</text>""");
        svg.AppendLine(CultureInfo.InvariantCulture, $"""<text transform="translate(22 {N(Top + PlotHeight / 2)}) rotate(-90)" font-size="13" text-anchor="middle" fill="#222">latency (ms)</text>""");

        for (var i = 0; i < series.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var line = series[i].Points.OrderBy(p => p.Rows).ToList();
            var path = string.Join(' ', line.Select(p => $"{N(X(p.Rows))},{N(Y(p.MedianMs))}"));
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>""");
            foreach (var p in line)
            {
                var (x, y) = (X(p.Rows), Y(p.MedianMs));
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{N(x)}" y1="{N(y)}" x2="{N(x)}" y2="{N(Y(p.P95Ms))}" stroke="{color}" stroke-width="6" stroke-opacity="0.25"/>""");
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<circle cx="{N(x)}" cy="{N(y)}" r="4.5" fill="{color}"/>""");
                // Labels of the first line above their points, the others' below, so they rarely collide.
                var labelY = i == 0 ? y - 9 : y + 17;
                svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(x + 9)}" y="{N(labelY)}" font-size="11" fill="{color}">{Numbers.Ms(p.MedianMs)}</text>""");
            }

            // Legend: one row under the subtitle.
            var legendX = Left + i * (PlotWidth / Math.Max(2, series.Count));
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<line x1="{N(legendX)}" y1="68" x2="{N(legendX + 22)}" y2="68" stroke="{color}" stroke-width="3"/>""");
            svg.AppendLine(CultureInfo.InvariantCulture, $"""<text x="{N(legendX + 28)}" y="72" font-size="12" fill="#222">{Escape(series[i].Label)}</text>""");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string LatencyTick(double ms) => ms switch
    {
        >= 1000 => (ms / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s",
        _ => ms.ToString("0.####", CultureInfo.InvariantCulture),
    };

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
