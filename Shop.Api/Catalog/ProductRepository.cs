using Dapper;
using Npgsql;

namespace Shop.Api.Catalog;

public sealed class ProductRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, name, description, price, currency, stock,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public async Task<ProductDto> InsertAsync(NewProduct product, CancellationToken cancellationToken)
    {
        const string sql = $"""
            INSERT INTO products (id, name, description, price, currency, stock)
            VALUES (@Id, @Name, @Description, @Price, @Currency, @Stock)
            RETURNING {Columns}
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<ProductDto>(
            new CommandDefinition(sql, product, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ProductDto>> ListNewestAsync(int limit, CancellationToken cancellationToken)
    {
        // Matches products_newest_idx, so the cost stays flat however many products there are.
        const string sql = $"""
            SELECT {Columns}
            FROM products
            WHERE deleted_at IS NULL
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProductDto>(
            new CommandDefinition(sql, new { limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<ProductDto?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT {Columns}
            FROM products
            WHERE id = @id AND deleted_at IS NULL
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ProductDto>(
            new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }
}
