using Dapper;
using Npgsql;

namespace Shop.Api.Cart;

/// <summary>What a cart needs from the catalog, read from Postgres (prices are never cached here).</summary>
public sealed class CartCatalog(NpgsqlDataSource dataSource)
{
    public sealed record ProductForSale(Guid Id, string Name, decimal Price, string Currency);

    public async Task<bool> IsForSaleAsync(Guid productId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT EXISTS (SELECT 1 FROM products WHERE id = @productId AND deleted_at IS NULL)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { productId }, cancellationToken: cancellationToken));
    }

    /// <summary>All the cart's products in one query, whatever the number of lines.</summary>
    public async Task<IReadOnlyDictionary<Guid, ProductForSale>> FindForSaleAsync(IReadOnlyCollection<Guid> productIds, CancellationToken cancellationToken)
    {
        if (productIds.Count == 0)
        {
            return new Dictionary<Guid, ProductForSale>();
        }

        const string sql = """
            SELECT id, name, price, trim(currency) AS currency
            FROM products
            WHERE id = ANY(@ids) AND deleted_at IS NULL
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProductForSale>(
            new CommandDefinition(sql, new { ids = productIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(p => p.Id);
    }
}
