using Dapper;
using Npgsql;

namespace Shop.PaymentProvider.Charges;

/// <summary>
/// The provider's ledger in its own database (paymentsdb). The unique idempotency key is what
/// makes "same key, same charge" hold even for two requests racing with one key.
/// </summary>
public sealed class ChargeStore(NpgsqlDataSource dataSource)
{
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            CREATE TABLE IF NOT EXISTS charges (
                id               text          PRIMARY KEY,
                idempotency_key  text          NOT NULL UNIQUE,
                reference        text          NOT NULL,
                amount           numeric(12,2) NOT NULL,
                currency         char(3)       NOT NULL,
                status           text          NOT NULL,
                decline_reason   text          NULL,
                created_at       timestamptz   NOT NULL DEFAULT now()
            );
            CREATE INDEX IF NOT EXISTS charges_reference_idx ON charges (reference);
            -- The caller's W3C traceparent, kept for support cases ("which request made this charge?").
            ALTER TABLE charges ADD COLUMN IF NOT EXISTS trace_parent text NULL;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    /// <summary>Records the charge unless the key was seen before; returns the charge the key stands for.</summary>
    public async Task<(Charge Charge, bool Replayed)> RecordAsync(Charge charge, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO charges (id, idempotency_key, reference, amount, currency, status, decline_reason, created_at, trace_parent)
            VALUES (@Id, @IdempotencyKey, @Reference, @Amount, @Currency, @Status, @DeclineReason, @CreatedAt, @TraceParent)
            ON CONFLICT (idempotency_key) DO NOTHING
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(insert, charge, cancellationToken: cancellationToken)) == 1)
        {
            return (charge, false);
        }
        var existing = await FindByKeyAsync(connection, charge.IdempotencyKey, cancellationToken);
        return (existing, true);
    }

    private static Task<Charge> FindByKeyAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<Charge>(new CommandDefinition(
            $"{SelectCharge} WHERE idempotency_key = @key", new { key }, cancellationToken: cancellationToken));

    public async Task<IReadOnlyList<Charge>> ListByReferenceAsync(string reference, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var charges = await connection.QueryAsync<Charge>(new CommandDefinition(
            $"{SelectCharge} WHERE reference = @reference ORDER BY created_at", new { reference }, cancellationToken: cancellationToken));
        return charges.AsList();
    }

    public async Task<(long Charges, long Succeeded, long Declined, long Distinct, long Duplicated)> CountAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT count(*),
                   count(*) FILTER (WHERE status = 'succeeded'),
                   count(*) FILTER (WHERE status = 'declined'),
                   count(DISTINCT reference),
                   (SELECT count(*) FROM (SELECT 1 FROM charges GROUP BY reference HAVING count(*) > 1) d)
            FROM charges
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long, long, long, long)>(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    private const string SelectCharge = """
        SELECT id, idempotency_key AS IdempotencyKey, reference, amount, trim(currency) AS currency, status,
               decline_reason AS DeclineReason, created_at AS CreatedAt, trace_parent AS TraceParent
        FROM charges
        """;
}
