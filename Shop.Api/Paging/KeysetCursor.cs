using System.Buffers.Binary;
using System.Buffers.Text;

namespace Shop.Api.Paging;

/// <summary>
/// Position after the last row of a "newest first" page: its (created_at, id), the key every
/// list of the API (products, orders) sorts by. Sent to clients as base64url of a fixed 25-byte
/// layout: a version byte (1), big-endian microseconds since the Unix epoch, the UUID's 16
/// bytes (big-endian). Opaque to clients; Shop.Seeder's benchmark builds the same bytes to jump
/// to a deep page. Decoding yields typed values that only ever reach SQL as parameters, so a
/// crafted cursor can at most move the position; anything else fails to decode and is a 400.
/// </summary>
public readonly record struct KeysetCursor(DateTime CreatedAt, Guid Id)
{
    public const string InvalidMessage = "The cursor is not valid; pass back the nextCursor of a previous page.";

    private const byte Version = 1;
    private const int Length = 1 + sizeof(long) + 16;
    private const int MaxEncodedLength = 64;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], (CreatedAt.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond);
        Id.TryWriteBytes(bytes[9..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out KeysetCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxEncodedLength)
        {
            return false;
        }

        // DecodeFromChars reports bad characters as a status; TryDecodeFromChars would throw.
        Span<byte> bytes = stackalloc byte[MaxEncodedLength];
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != Length || bytes[0] != Version)
        {
            return false;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var maxMicros = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        if (micros < 0 || micros > maxMicros)
        {
            return false;
        }

        cursor = new KeysetCursor(
            new DateTime(DateTime.UnixEpoch.Ticks + micros * TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc),
            new Guid(bytes.Slice(9, 16), bigEndian: true));
        return true;
    }

    /// <summary>
    /// Reads the <c>cursor</c> query value: null for none, the position for a valid one, and an
    /// entry under "cursor" in <paramref name="errors"/> for anything else.
    /// </summary>
    public static KeysetCursor? FromQuery(string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (TryDecode(text, out var cursor))
        {
            return cursor;
        }
        errors["cursor"] = [InvalidMessage];
        return null;
    }
}
