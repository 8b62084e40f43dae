using System.Globalization;
using System.Text;

namespace Shop.Benchmarks.OrderCost.Reporting;

/// <summary>The run's figures, in the order issue 11's table lists them; printed as `name: value`.</summary>
public sealed class Figures
{
    private readonly List<(string Name, double Value, string Note)> _figures = [];
    private readonly List<string> _notes = [];

    public void Add(string name, double value, string note = "") => _figures.Add((name, value, note));

    public void Note(string line) => _notes.Add(line);

    public double this[string name] => _figures.Last(f => f.Name == name).Value;

    public void WriteLines(TextWriter output)
    {
        foreach (var (name, value, _) in _figures)
        {
            output.WriteLine($"{name}: {Format(value)}");
        }
    }

    public string Markdown(string title, IEnumerable<string> header)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {title}");
        text.AppendLine();
        foreach (var line in header)
        {
            text.AppendLine(line);
        }
        text.AppendLine();
        text.AppendLine("| figure | value | what |");
        text.AppendLine("|---|---:|---|");
        foreach (var (name, value, note) in _figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{name}` | {Format(value)} | {note} |");
        }
        if (_notes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Notes");
            text.AppendLine();
            foreach (var note in _notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }
        text.AppendLine();
        text.AppendLine("```");
        var lines = new StringWriter(CultureInfo.InvariantCulture);
        WriteLines(lines);
        text.Append(lines);
        text.AppendLine("```");
        return text.ToString();
    }

    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1 ? value.ToString("0.0#", CultureInfo.InvariantCulture)
        : value.ToString("0.00#", CultureInfo.InvariantCulture);
}
