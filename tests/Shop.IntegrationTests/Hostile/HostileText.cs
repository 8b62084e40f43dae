using System.Globalization;
using System.Text;

namespace Shop.IntegrationTests.Hostile;

/// <summary>
/// One hostile value, carrying the run's marker so a stored copy can be found: text with a
/// character nothing should store (NUL, other C0 and C1 controls, DEL, unpaired surrogates),
/// bytes that are not UTF-8, or a value far over any limit. Encoded for each way a client sends
/// text: a JSON string, a percent-encoded query/form/path component, a raw header value.
/// </summary>
public sealed class HostileText
{
    private HostileText(string kind, string? text, byte[]? rawBytes)
    {
        Kind = kind;
        Text = text;
        RawBytes = rawBytes;
    }

    public string Kind { get; }

    /// <summary>The value as UTF-16 (control characters, lone surrogates), or null for <see cref="RawBytes"/>.</summary>
    public string? Text { get; }

    /// <summary>The value as bytes that are not valid UTF-8 (or a raw control byte), or null for <see cref="Text"/>.</summary>
    public byte[]? RawBytes { get; }

    public bool IsOverlong => Kind.StartsWith("overlong", StringComparison.Ordinal);

    public override string ToString() => Kind;

    /// <summary>
    /// Every hostile value for one run: 11 kinds of characters and 7 of bytes, each in the
    /// middle and at the end of the value, and one overlong value of <paramref name="overlongLength"/>.
    /// </summary>
    public static IReadOnlyList<HostileText> All(string marker, int overlongLength)
    {
        (string Name, string Chars)[] characters =
        [
            ("NUL", "\0"), ("SOH", "\u0001"), ("ESC sequence", "\u001B[31m"), ("US", "\u001F"), ("DEL", "\u007F"),
            ("NEL (C1)", "\u0085"), ("CSI (C1)", "\u009B"), ("lone high surrogate", "\uD800"), ("lone low surrogate", "\uDC00"),
            ("reversed surrogates", "\uDE00\uD83D"), ("BS and NUL", "\b\0\b"),
        ];
        (string Name, byte[] Bytes)[] bytes =
        [
            ("byte FF", [0xFF]), ("overlong NUL C0 80", [0xC0, 0x80]), ("CESU surrogate ED A0 80", [0xED, 0xA0, 0x80]),
            ("truncated E2 82", [0xE2, 0x82]), ("beyond U+10FFFF F4 90 80 80", [0xF4, 0x90, 0x80, 0x80]), ("byte FE", [0xFE]),
            ("raw control byte 01", [0x01]),
        ];
        var all = new List<HostileText>();
        foreach (var (name, chars) in characters)
        {
            all.Add(new HostileText($"{name} inside", $"{marker}-{chars}-x", null));
            all.Add(new HostileText($"{name} at end", $"{marker}{chars}", null));
        }
        var prefix = Encoding.ASCII.GetBytes(marker);
        foreach (var (name, raw) in bytes)
        {
            all.Add(new HostileText($"{name} inside", null, [.. prefix, (byte)'-', .. raw, (byte)'x']));
            all.Add(new HostileText($"{name} at end", null, [.. prefix, .. raw]));
        }
        all.Add(new HostileText($"overlong {overlongLength}", marker + new string('x', overlongLength - marker.Length), null));
        return all;
    }

    /// <summary>The value as a JSON string literal (quotes included): characters as \u escapes, bad bytes raw.</summary>
    public byte[] ToJsonString()
    {
        if (RawBytes is not null)
        {
            return [(byte)'"', .. RawBytes, (byte)'"'];
        }
        var json = new StringBuilder("\"");
        foreach (var c in Text!)
        {
            if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < 0x20 || c >= 0x7F)
            {
                // Lone surrogates travel as escapes, the way a JSON client can send them.
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                json.Append(c);
            }
        }
        return Encoding.ASCII.GetBytes(json.Append('"').ToString());
    }

    /// <summary>
    /// The bytes a careless client would put on the wire: UTF-8 for text, with each unpaired
    /// surrogate in the 3-byte form UTF-8 forbids (what CESU-8/WTF-8 writers produce).
    /// </summary>
    public byte[] ToWireBytes()
    {
        if (RawBytes is not null)
        {
            return RawBytes;
        }
        var bytes = new List<byte>();
        var text = Text!;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i++, 2)));
            }
            else if (char.IsSurrogate(c))
            {
                bytes.AddRange([(byte)(0xE0 | c >> 12), (byte)(0x80 | (c >> 6 & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return [.. bytes];
    }

    /// <summary>Percent-encoded for a query, form or path component.</summary>
    public string ToPercentEncoded()
    {
        var encoded = new StringBuilder();
        foreach (var b in ToWireBytes())
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }
        return encoded.ToString();
    }

    /// <summary>
    /// A header value whose chars are the wire bytes (sent with Latin-1 header encoding), or null
    /// when HTTP itself cannot carry it (NUL, CR, LF: HttpClient refuses, Kestrel would too).
    /// </summary>
    public string? ToHeaderValue()
    {
        var bytes = ToWireBytes();
        return bytes.Any(b => b is 0 or (byte)'\r' or (byte)'\n') ? null : Encoding.Latin1.GetString(bytes);
    }
}
