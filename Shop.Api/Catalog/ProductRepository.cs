using Dapper;
using Npgsql;

namespace Shop.Api.Catalog;

/// <summary>
/// Products and categories in Postgres, read fresh on every call. Catalog pages and details go
/// through <see cref="CatalogReader"/>'s cache instead; checkout must read prices and stock here
/// (or with its own locking SQL), never from a cache.
/// </summary>
public sealed class ProductRepository(NpgsqlDataSource dataSource, OutboxWriter outbox, TimeProvider clock)
{
    private const string ChangeColumns = "id, name, description, category_id, price, currency, stock, image_url, metadata";
    private const string ChangeValues = "@Id, @Name, @Description, @CategoryId, @Price, @Currency, @Stock, @ImageUrl, @Metadata::jsonb";

    public async Task<ProductDto> InsertAsync(ProductChange product, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH p AS (
                INSERT INTO products ({ChangeColumns})
                VALUES ({ChangeValues})
                RETURNING *
            )
            SELECT {ProductSql.ProductColumns}
            FROM p LEFT JOIN categories c ON c.id = p.category_id
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<ProductRow>(new CommandDefinition(sql, product, transaction, cancellationToken: cancellationToken));
        var dto = row.ToDto();
        // ProductCreated goes out through the transactional outbox: it exists exactly when the
        // product does, and the relay publishes it even if the broker is down right now.
        var created = new ProductCreated(Guid.CreateVersion7(), dto.Id, dto.Name, dto.Price, dto.Currency, clock.GetUtcNow());
        await outbox.AddAsync(connection, transaction,
            OutboxMessage.For(created.EventId, ShopEvents.ProductCreated, created), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    /// <returns>The updated product, or null when there is no live product with that id.</returns>
    public async Task<ProductDto?> UpdateAsync(ProductChange product, CancellationToken cancellationToken)
    {
        const string sql = $"""
            WITH p AS (
                UPDATE products
                SET ({ChangeColumns}, updated_at) = ({ChangeValues}, now())
                WHERE id = @Id AND deleted_at IS NULL
                RETURNING *
            )
            SELECT {ProductSql.ProductColumns}
            FROM p LEFT JOIN categories c ON c.id = p.category_id
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(new CommandDefinition(sql, product, cancellationToken: cancellationToken));
        return row?.ToDto();
    }

    /// <summary>Soft delete: the row stays (order lines reference it) but leaves the catalog.</summary>
    /// <returns>False when there is no live product with that id.</returns>
    public async Task<bool> SoftDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE products SET deleted_at = now(), updated_at = now() WHERE id = @id AND deleted_at IS NULL";

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<ProductDto?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProductRow>(
            new CommandDefinition(ProductSql.FindById, new { id }, cancellationToken: cancellationToken));
        return row?.ToDto();
    }

    public async Task<Page<ProductDto>> ListAsync(ProductListQuery query, CancellationToken cancellationToken)
    {
        var (sql, parameters) = ProductSql.List(query);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ProductRow>(
            new CommandDefinition(sql, new DynamicParameters(parameters), cancellationToken: cancellationToken))).AsList();

        var items = rows.Take(query.PageSize).Select(r => r.ToDto()).ToList();
        var nextCursor = rows.Count > query.PageSize ? new KeysetCursor(items[^1].CreatedAt, items[^1].Id).Encode() : null;
        return new Page<ProductDto>(items, nextCursor);
    }

    public async Task<IReadOnlyList<CategoryDto>> ListCategoriesAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, slug, name FROM categories ORDER BY name";

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CategoryDto>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<Guid?> FindCategoryIdAsync(string slug, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id FROM categories WHERE slug = @slug";

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(sql, new { slug }, cancellationToken: cancellationToken));
    }
}
