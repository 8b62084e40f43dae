using System.Buffers.Binary;

namespace Shop.Api.Insights;

/// <summary>
/// The last hour's best sellers (units ordered), read from <c>order_lines</c> alone by a range of
/// its primary key. Order ids are UUIDv7 (checkout and the seeder make them so): their first 48
/// bits are the order's creation time in milliseconds, and Postgres compares uuids byte by byte, so
/// the ids from "an hour ago" to "now" are exactly the hour's orders, and their lines one range of
/// <c>order_lines_pkey</c>, whatever the table's size.
/// </summary>
/// <remarks>
/// It replaces a join of <c>orders</c> (on <c>created_at</c>) with its lines, which Postgres ran as
/// a parallel sequential scan of every line: 2M lines read every 30 s by every API replica in a
/// shop of 1M orders, and ten times that at ten times the data. An id that is not v7 (the shop
/// writes none) falls in an hour's range with odds of about 1 in 10^8, so it is not counted.
/// </remarks>
public static class TopProductsQuery
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public const string Sql = """
        SELECT product_name AS Name, sum(quantity)::bigint AS Units
        FROM order_lines
        WHERE order_id >= @from AND order_id < @until
        GROUP BY product_id, product_name
        ORDER BY Units DESC, product_name
        LIMIT 5
        """;

    /// <summary>The id range of the orders created in the hour before <paramref name="now"/> (a minute past it too, for clocks a little ahead).</summary>
    public static (Guid From, Guid Until) IdRange(DateTimeOffset now) =>
        (Version7Floor(now - Window), Version7Floor(now + TimeSpan.FromMinutes(1)));

    /// <summary>The smallest UUIDv7 of the millisecond <paramref name="at"/>: its timestamp, every other bit zero.</summary>
    public static Guid Version7Floor(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, at.ToUnixTimeMilliseconds() << 16);
        return new Guid(bytes, bigEndian: true);
    }
}
