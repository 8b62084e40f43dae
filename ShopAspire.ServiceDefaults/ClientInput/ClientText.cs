using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace ShopAspire.ClientInput;

/// <summary>What a piece of client text may contain besides printable characters.</summary>
public enum TextShape
{
    /// <summary>One line: no control characters at all (names, emails, slugs, search text, query values).</summary>
    SingleLine,

    /// <summary>Paragraphs: tab, line feed and carriage return are allowed (descriptions, textareas).</summary>
    MultiLine,

    /// <summary>An opaque token: visible ASCII only, U+0021..U+007E (idempotency keys, cursors, codes).</summary>
    Token,
}

/// <summary>
/// The one rule for text a client sends (JSON fields, query and form values, route values,
/// headers) that the shop stores or uses: Shop.Api's validators and both services'
/// <see cref="ClientTextGuard"/> ask it, so "what text is acceptable" is decided here only.
/// Refused: U+0000 (Postgres text cannot store it), other control characters (C0, DEL, C1)
/// except where <see cref="TextShape.MultiLine"/> allows tab and line breaks, unpaired
/// surrogates (not Unicode; UTF-8 cannot encode them), and values over their length limit.
/// </summary>
public static class ClientText
{
    /// <summary>Why <paramref name="value"/> is not acceptable, as a sentence naming <paramref name="label"/>; null when it is.</summary>
    /// <param name="label">How the message names the field, e.g. "Name".</param>
    /// <param name="maxLength">Most UTF-16 code units allowed (what .NET and the validators count).</param>
    public static string? Problem(string? value, string label, int maxLength, TextShape shape = TextShape.SingleLine)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length > maxLength)
        {
            return $"{label} must be at most {maxLength.ToString(CultureInfo.InvariantCulture)} characters.";
        }
        return CharacterProblem(value, label, shape);
    }

    /// <summary>Like <see cref="Problem"/> without a length limit: only which characters are there.</summary>
    public static string? CharacterProblem(ReadOnlySpan<char> value, string label, TextShape shape = TextShape.SingleLine)
    {
        var index = IndexOfUnacceptable(value, shape);
        if (index < 0)
        {
            return null;
        }
        var c = value[index];
        if (char.IsSurrogate(c))
        {
            return $"{label} is not valid Unicode: it contains an unpaired surrogate (U+{(int)c:X4}) at position {index.ToString(CultureInfo.InvariantCulture)}.";
        }
        if (shape == TextShape.Token && !char.IsControl(c))
        {
            return $"{label} may contain only visible ASCII characters; U+{(int)c:X4} at position {index.ToString(CultureInfo.InvariantCulture)} is not one.";
        }
        return $"{label} must not contain control characters; U+{(int)c:X4} at position {index.ToString(CultureInfo.InvariantCulture)} is one"
            + (shape == TextShape.MultiLine ? " (only tab and line breaks are allowed)." : ".");
    }

    /// <summary>The position of the first character <paramref name="shape"/> does not allow, or -1.</summary>
    public static int IndexOfUnacceptable(ReadOnlySpan<char> value, TextShape shape = TextShape.SingleLine)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (shape == TextShape.Token)
            {
                if (c is < '!' or > '~')
                {
                    return i;
                }
                continue;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                return i;
            }
            if (char.IsLowSurrogate(c))
            {
                return i;
            }
            if (char.IsControl(c) && !(shape == TextShape.MultiLine && c is '\t' or '\n' or '\r'))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>True when the text is acceptable for <paramref name="shape"/> and at most <paramref name="maxLength"/> long.</summary>
    public static bool IsAcceptable(string? value, int maxLength, TextShape shape = TextShape.SingleLine) =>
        value is null || (value.Length <= maxLength && IndexOfUnacceptable(value, shape) < 0);

    /// <summary>
    /// Percent-decodes one component of a query string or an application/x-www-form-urlencoded
    /// body ('+' is a space) strictly: null when the bytes are not UTF-8 (e.g. %FF, %C0%80, or
    /// %ED%A0%80, a surrogate). ASP.NET Core's own decoders keep such escapes as literal text or,
    /// for forms, throw.
    /// </summary>
    public static string? TryDecodeUrlComponent(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return Utf8.IsValid(encoded) ? Encoding.UTF8.GetString(encoded) : null;
        }
        var bytes = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == '+')
            {
                bytes[length++] = (byte)' ';
            }
            else if (b == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit((char)encoded[i + 1]) && char.IsAsciiHexDigit((char)encoded[i + 2]))
            {
                bytes[length++] = (byte)(HexValue((char)encoded[i + 1]) << 4 | HexValue((char)encoded[i + 2]));
                i += 2;
            }
            else
            {
                bytes[length++] = b; // a literal byte, or a '%' that starts no escape
            }
        }
        var decoded = bytes.AsSpan(0, length);
        return Utf8.IsValid(decoded) ? Encoding.UTF8.GetString(decoded) : null;
    }

    /// <summary>
    /// Checks every name and value of a raw query string ("?a=1&amp;b=2", as Kestrel received it)
    /// or urlencoded form body: strict UTF-8 (<see cref="TryDecodeUrlComponent"/>), then
    /// <paramref name="shape"/> and <paramref name="maxValueLength"/>. Returns the first
    /// offending field and why, or null.
    /// </summary>
    public static (string Field, string Problem)? FindUrlEncodedProblem(ReadOnlySpan<byte> raw, TextShape shape, int maxValueLength)
    {
        if (raw.StartsWith((byte)'?'))
        {
            raw = raw[1..];
        }
        foreach (var range in raw.Split((byte)'&'))
        {
            var pair = raw[range];
            if (pair.IsEmpty)
            {
                continue;
            }
            var equals = pair.IndexOf((byte)'=');
            var encodedName = equals < 0 ? pair : pair[..equals];
            var encodedValue = equals < 0 ? [] : pair[(equals + 1)..];
            var name = TryDecodeUrlComponent(encodedName);
            if (name is null || Problem(name, "The parameter name", MaxNameLength) is not null)
            {
                return (Printable(name ?? Encoding.Latin1.GetString(encodedName)), "The parameter name is not acceptable text (invalid UTF-8, a control character or too long).");
            }
            var value = TryDecodeUrlComponent(encodedValue);
            if (value is null)
            {
                return (name, $"{name} is not valid UTF-8: its bytes (or percent-escapes) are not text.");
            }
            if (Problem(value, name, maxValueLength, shape) is { } problem)
            {
                return (name, problem);
            }
        }
        return null;
    }

    /// <inheritdoc cref="FindUrlEncodedProblem(ReadOnlySpan{byte}, TextShape, int)"/>
    public static (string Field, string Problem)? FindUrlEncodedProblem(string raw, TextShape shape, int maxValueLength) =>
        FindUrlEncodedProblem(Encoding.UTF8.GetBytes(raw), shape, maxValueLength);

    /// <summary>Names of parameters and fields are short identifiers; a longer one is not ours.</summary>
    public const int MaxNameLength = 100;

    /// <summary>A field name safe to echo in a problem: control characters and lone surrogates as \uXXXX, at most 100 characters.</summary>
    public static string Printable(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxNameLength));
        for (var i = 0; i < name.Length && builder.Length < MaxNameLength; i++)
        {
            var c = name[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]);
            if (paired)
            {
                builder.Append(c).Append(name[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
