using Npgsql;

namespace Shop.IntegrationTests.Hostile;

/// <summary>
/// What clients can make the shop store, counted, and a search of every stored client string for
/// the fuzz run's marker: equal before and after, and no marker, means nothing hostile was written.
/// </summary>
public sealed record StoredRows(IReadOnlyDictionary<string, long> Counts)
{
    // Only tables a request writes to directly; the worker keeps writing payments and outbox rows
    // for orders of earlier tests, so those tables are not counted.
    private static readonly (string Name, string Sql)[] Counted =
    [
        ("products", "SELECT count(*) FROM products"),
        ("live products", "SELECT count(*) FROM products WHERE deleted_at IS NULL"),
        ("users", "SELECT count(*) FROM users"),
        ("orders", "SELECT count(*) FROM orders"),
        ("order_lines", "SELECT count(*) FROM order_lines"),
        ("categories", "SELECT count(*) FROM categories"),
        ("orders.placed events", "SELECT count(*) FROM outbox_messages WHERE routing_key = 'orders.placed'"),
        ("idempotency keys with a 2xx", "SELECT count(*) FROM idempotency_keys WHERE response_status IS NULL OR response_status < 400"),
    ];

    public static async Task<StoredRows> CountAsync(string connectionString)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var counts = new Dictionary<string, long>();
        foreach (var (name, sql) in Counted)
        {
            await using var command = new NpgsqlCommand(sql, db);
            counts[name] = (long)(await command.ExecuteScalarAsync())!;
        }
        return new StoredRows(counts);
    }

    /// <summary>Rows whose client-given text contains <paramref name="marker"/>, per table.</summary>
    public static async Task<Dictionary<string, long>> FindMarkerAsync(string connectionString, string marker)
    {
        (string Table, string Sql)[] searches =
        [
            ("products", "SELECT count(*) FROM products WHERE strpos(name, @m) > 0 OR strpos(coalesce(description, ''), @m) > 0 OR strpos(coalesce(image_url, ''), @m) > 0 OR strpos(metadata::text, @m) > 0"),
            ("users", "SELECT count(*) FROM users WHERE strpos(email, @m) > 0 OR strpos(display_name, @m) > 0"),
            ("idempotency_keys", "SELECT count(*) FROM idempotency_keys WHERE strpos(key, @m) > 0"),
            ("orders", "SELECT count(*) FROM orders WHERE strpos(coalesce(idempotency_key, ''), @m) > 0"),
            ("categories", "SELECT count(*) FROM categories WHERE strpos(slug, @m) > 0 OR strpos(name, @m) > 0"),
            ("outbox_messages", "SELECT count(*) FROM outbox_messages WHERE strpos(payload::text, @m) > 0"),
        ];
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        var found = new Dictionary<string, long>();
        foreach (var (table, sql) in searches)
        {
            await using var command = new NpgsqlCommand(sql, db);
            command.Parameters.AddWithValue("m", marker);
            if ((long)(await command.ExecuteScalarAsync())! is var count and > 0)
            {
                found[table] = count;
            }
        }
        return found;
    }

    public IEnumerable<string> Differences(StoredRows after) =>
        Counts.Where(c => after.Counts[c.Key] != c.Value).Select(c => $"{c.Key}: {c.Value} -> {after.Counts[c.Key]}");
}
