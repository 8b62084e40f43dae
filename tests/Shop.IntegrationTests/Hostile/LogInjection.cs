using System.Globalization;
using System.Text;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Hostile;

/// <summary>
/// Console log lines that carry a control character (an ANSI escape, NUL, a C1 control): what a
/// client's hostile text looks like when a service logs it raw. Read on a terminal or by a log
/// collector, such a line can recolour, rewrite or forge other lines.
/// </summary>
internal static class LogInjection
{
    /// <summary>Each such line of the services' console output, as "service: line" with its control characters shown as \uXXXX.</summary>
    public static string[] LinesWithControlCharacters(ShopStackFixture stack, params string[] services) =>
        [.. services.SelectMany(service => stack.Shop.Logs.Tail(service, 5_000)
            .Where(line => line.Any(IsControl))
            .Select(line => $"{service}: {Visible(line)}"))];

    private static bool IsControl(char c) => char.IsControl(c) && c != '\t';

    private static string Visible(string line)
    {
        var visible = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            visible.Append(IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString(CultureInfo.InvariantCulture));
        }
        return visible.ToString();
    }
}
