using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace Shop.Api.Orders;

/// <summary>
/// Keyset cursor for "newest first": the (created_at, id) of the last order on the page, as
/// base64url of 8 bytes of microseconds since the Unix epoch and the 16 bytes of the id.
/// Opaque to clients; Shop.Seeder's benchmark builds the same bytes to jump to a deep page.
/// </summary>
public readonly record struct OrderCursor(DateTime CreatedAt, Guid Id)
{
    private const int Length = 24;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        var micros = (CreatedAt.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10;
        BinaryPrimitives.WriteInt64BigEndian(bytes, micros);
        Id.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static bool TryDecode(string? value, out OrderCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return false;
        }
        try
        {
            var bytes = WebEncoders.Base64UrlDecode(value);
            if (bytes.Length != Length)
            {
                return false;
            }
            var micros = BinaryPrimitives.ReadInt64BigEndian(bytes);
            if (micros < 0 || micros > (DateTime.MaxValue - DateTime.UnixEpoch).Ticks / 10)
            {
                return false;
            }
            cursor = new OrderCursor(DateTime.UnixEpoch.AddTicks(micros * 10), new Guid(bytes.AsSpan(8), bigEndian: true));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
