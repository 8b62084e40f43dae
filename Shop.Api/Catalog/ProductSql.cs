using System.Text;

namespace Shop.Api.Catalog;

/// <summary>
/// The catalog's read SQL, in one place so the query-plan tests EXPLAIN exactly what the API runs.
/// Each statement starts with a comment naming it: it shows in pg_stat_activity and lets tests
/// count the commands of one kind.
/// </summary>
public static class ProductSql
{
    public const string FindByIdTag = "catalog:product-by-id";
    public const string ListTag = "catalog:product-list";

    internal const string ProductColumns = """
        p.id, p.name, p.description, p.price, p.currency, p.stock, p.image_url AS ImageUrl,
        p.metadata::text AS Metadata, p.created_at AS CreatedAt, p.updated_at AS UpdatedAt,
        c.id AS CategoryId, c.slug AS CategorySlug, c.name AS CategoryName
        """;

    public const string FindById = $"""
        /* {FindByIdTag} */
        SELECT {ProductColumns}
        FROM products p
        LEFT JOIN categories c ON c.id = p.category_id
        WHERE p.id = @id AND p.deleted_at IS NULL
        """;

    /// <summary>
    /// Builds the keyset query for one page (<see cref="ProductListQuery.PageSize"/> + 1 rows, the
    /// extra one only says whether there is a next page). Only fixed SQL fragments are appended;
    /// every value the client sent is a parameter.
    /// </summary>
    public static (string Sql, IReadOnlyDictionary<string, object> Parameters) List(ProductListQuery query)
    {
        var where = new StringBuilder("p.deleted_at IS NULL");
        var parameters = new Dictionary<string, object> { ["limit"] = query.PageSize + 1 };

        if (query.CategorySlug is { } slug)
        {
            // A sub-select, not a join: the planner sees one category id and walks
            // products_category_newest_idx for it.
            where.Append(" AND p.category_id = (SELECT id FROM categories WHERE slug = @category)");
            parameters["category"] = slug;
        }

        if (query.Search is { } search)
        {
            where.Append(" AND p.name ILIKE @pattern");
            parameters["pattern"] = $"%{EscapeLike(search)}%";
        }

        if (query.MinPrice is { } min)
        {
            where.Append(" AND p.price >= @minPrice");
            parameters["minPrice"] = min;
        }

        if (query.MaxPrice is { } max)
        {
            where.Append(" AND p.price <= @maxPrice");
            parameters["maxPrice"] = max;
        }

        if (query.After is { } after)
        {
            // Row comparison matches the index order (created_at DESC, id DESC): the scan starts
            // right after the cursor instead of skipping OFFSET rows.
            where.Append(" AND (p.created_at, p.id) < (@afterCreatedAt, @afterId)");
            parameters["afterCreatedAt"] = after.CreatedAt;
            parameters["afterId"] = after.Id;
        }

        // Categories are joined after LIMIT, so the join never disturbs the ordered index scan.
        var sql = $"""
            /* {ListTag} */
            SELECT {ProductColumns}
            FROM (
                SELECT *
                FROM products p
                WHERE {where}
                ORDER BY p.created_at DESC, p.id DESC
                LIMIT @limit
            ) p
            LEFT JOIN categories c ON c.id = p.category_id
            ORDER BY p.created_at DESC, p.id DESC
            """;
        return (sql, parameters);
    }

    // The client's text is matched literally: % and _ are not wildcards for them.
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
