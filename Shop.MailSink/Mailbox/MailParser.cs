namespace Shop.MailSink.Mailbox;

/// <summary>Just enough RFC 5322 to show a mail: unfolded headers, then the body.</summary>
internal static class MailParser
{
    public static (Dictionary<string, string> Headers, string Body) Split(string raw)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var end = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = end < 0 ? raw : raw[..end];
        var body = end < 0 ? "" : raw[(end + 4)..];
        string? current = null;
        foreach (var line in headerText.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && current is not null)
            {
                headers[current] += " " + line.Trim(); // a folded continuation line
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                current = line[..colon].Trim();
                headers.TryAdd(current, line[(colon + 1)..].Trim());
            }
        }
        return (headers, body);
    }
}
