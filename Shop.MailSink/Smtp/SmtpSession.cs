using System.Text;

namespace Shop.MailSink.Smtp;

/// <summary>
/// One SMTP conversation: greeting, EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-stuffed, ended by a
/// lone "."), RSET, NOOP, QUIT. Replies follow RFC 5321's codes so any client (MailKit, swaks,
/// telnet) is satisfied.
/// </summary>
internal sealed class SmtpSession(Stream stream, MailboxStore mailbox)
{
    private const int MaxMessageBytes = 10 * 1024 * 1024;
    private static readonly Encoding Wire = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Wire, detectEncodingFromByteOrderMarks: false, bufferSize: 8192, leaveOpen: true);
        await using var writer = new StreamWriter(stream, Wire, bufferSize: 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };

        await writer.WriteLineAsync("220 localhost ShopAspire MailSink ESMTP ready");
        string? from = null;
        var recipients = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteAsync($"250-localhost greets {Argument(line, 4)}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE {MaxMessageBytes}\r\n");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "MAIL" when line.StartsWith("MAIL FROM:", StringComparison.OrdinalIgnoreCase):
                    from = Address(line["MAIL FROM:".Length..]);
                    recipients.Clear();
                    await writer.WriteLineAsync("250 2.1.0 OK");
                    break;
                case "RCPT" when line.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase):
                    if (from is null)
                    {
                        await writer.WriteLineAsync("503 5.5.1 MAIL first");
                        break;
                    }
                    recipients.Add(Address(line["RCPT TO:".Length..]));
                    await writer.WriteLineAsync("250 2.1.5 OK");
                    break;
                case "DATA":
                    if (from is null || recipients.Count == 0)
                    {
                        await writer.WriteLineAsync("503 5.5.1 MAIL and RCPT first");
                        break;
                    }
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var message = await ReadDataAsync(reader, cancellationToken);
                    if (message is null)
                    {
                        await writer.WriteLineAsync("552 5.3.4 Message too big");
                    }
                    else
                    {
                        var mail = mailbox.Add(from, recipients.ToArray(), message);
                        await writer.WriteLineAsync($"250 2.0.0 OK queued as {mail.Id}");
                    }
                    from = null;
                    recipients.Clear();
                    break;
                case "RSET":
                    from = null;
                    recipients.Clear();
                    await writer.WriteLineAsync("250 2.0.0 OK");
                    break;
                case "NOOP":
                    await writer.WriteLineAsync("250 2.0.0 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 2.0.0 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 5.5.2 Command not implemented");
                    break;
            }
        }
    }

    /// <summary>Lines up to a lone ".", with the leading dot of dot-stuffed lines removed; null when too big.</summary>
    private static async Task<string?> ReadDataAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var message = new StringBuilder();
        var tooBig = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line == ".")
            {
                return tooBig ? null : message.ToString();
            }
            if (tooBig)
            {
                continue; // read to the end anyway, so the session stays in step
            }
            message.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
            tooBig = message.Length > MaxMessageBytes;
        }
        throw new IOException("connection closed during DATA");
    }

    private static string Argument(string line, int verbLength) => line.Length > verbLength ? line[verbLength..].Trim() : "";

    /// <summary>"&lt;a@b&gt; SIZE=123" → "a@b".</summary>
    private static string Address(string argument)
    {
        var text = argument.Trim();
        var open = text.IndexOf('<');
        var close = text.IndexOf('>');
        return open >= 0 && close > open ? text[(open + 1)..close] : text.Split(' ')[0];
    }
}
