using System.Text.Json;
using Npgsql;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>
/// What Postgres did for one run of a query, from EXPLAIN (ANALYZE, BUFFERS): the node that read
/// the table ("Seq Scan on t", "Index Scan using i on t", "Bitmap Heap Scan on t via i") and the
/// 8 kB pages it touched. Unlike a latency, the page count is the same on a busy machine.
/// </summary>
public sealed record QueryPlan(string ScanNode, long Pages)
{
    public static async Task<QueryPlan> ExplainAsync(NpgsqlConnection connection, string sql, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement[0].GetProperty("Plan");
        // The top node's counts include every node under it.
        var pages = root.GetProperty("Shared Hit Blocks").GetInt64() + root.GetProperty("Shared Read Blocks").GetInt64();
        return new QueryPlan(FindScan(root) ?? "no scan node", pages);
    }

    // Depth first: the first node that names a relation is the one reading the table.
    private static string? FindScan(JsonElement node)
    {
        if (node.TryGetProperty("Relation Name", out var relation))
        {
            var type = node.GetProperty("Node Type").GetString();
            if (node.TryGetProperty("Index Name", out var index))
            {
                return $"{type} using {index.GetString()} on {relation.GetString()}";
            }
            var bitmapIndex = node.TryGetProperty("Plans", out var inputs)
                ? inputs.EnumerateArray().Select(i => i.TryGetProperty("Index Name", out var name) ? name.GetString() : null).FirstOrDefault(n => n is not null)
                : null;
            return bitmapIndex is null ? $"{type} on {relation.GetString()}" : $"{type} on {relation.GetString()} via {bitmapIndex}";
        }
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                if (FindScan(child) is { } found)
                {
                    return found;
                }
            }
        }
        return null;
    }

    /// <summary>The plan as figures: <c>{side}_plan</c> and <c>{side}_pages</c>.</summary>
    public IEnumerable<Reporting.Figure> Figures(string side) =>
    [
        new($"{side}_plan", ScanNode),
        new($"{side}_pages", Pages.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
