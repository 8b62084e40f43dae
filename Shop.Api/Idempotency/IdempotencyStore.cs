using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Microsoft.Extensions.Options;

namespace Shop.Api.Idempotency;

/// <summary>A response kept for replay.</summary>
public sealed record StoredResponse(int Status, Dictionary<string, string> Headers, byte[] Body);

/// <summary>What the first look at a key found.</summary>
public abstract record KeyClaim
{
    /// <summary>This request owns the key and runs.</summary>
    public sealed record Claimed : KeyClaim;

    /// <summary>The same request already finished: replay its response.</summary>
    public sealed record Completed(StoredResponse Response) : KeyClaim;

    /// <summary>The same request is still running.</summary>
    public sealed record InFlight : KeyClaim;

    /// <summary>The key was used for a different request.</summary>
    public sealed record Mismatch : KeyClaim;
}

/// <summary>Idempotency keys in Postgres, so every API replica sees the same ones.</summary>
public sealed class IdempotencyStore(NpgsqlDataSource dataSource, IOptions<IdempotencyOptions> options)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record KeyRow(byte[] RequestHash, int? ResponseStatus, string? ResponseHeaders, byte[]? ResponseBody);

    public async Task<KeyClaim> ClaimAsync(Guid customerId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        // The unique (customer_id, key) decides the race: of 50 concurrent requests exactly one
        // inserts; the others wait for its insert to commit and then see the row. An expired key,
        // or one abandoned in flight by a dead process (same request only), is taken over.
        const string claim = """
            INSERT INTO idempotency_keys (customer_id, key, request_hash, locked_at, expires_at)
            VALUES (@customerId, @key, @requestHash, now(), now() + @lifetime)
            ON CONFLICT (customer_id, key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, locked_at = now(), created_at = now(),
                    expires_at = EXCLUDED.expires_at, response_status = NULL, response_headers = NULL,
                    response_body = NULL, completed_at = NULL
                WHERE idempotency_keys.expires_at < now()
                   OR (idempotency_keys.response_status IS NULL
                       AND idempotency_keys.locked_at < now() - @abandonedAfter
                       AND idempotency_keys.request_hash = EXCLUDED.request_hash)
            RETURNING true
            """;

        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var parameters = new { customerId, key, requestHash, lifetime = settings.KeyLifetime, abandonedAfter = settings.AbandonedAfter };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(claim, parameters, cancellationToken: cancellationToken)) == true)
            {
                return new KeyClaim.Claimed();
            }

            var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(ReadSql, new { customerId, key }, cancellationToken: cancellationToken));
            if (row is null)
            {
                continue; // Released by its owner between our two statements: try to claim again.
            }
            return Judge(row, requestHash);
        }
        return new KeyClaim.InFlight();
    }

    /// <summary>
    /// For an endpoint that claims its key in its own transaction (<see cref="ClaimCompletedCommand"/>):
    /// what the key holds now, without writing. <see cref="KeyClaim.Claimed"/> means the key is free
    /// (unknown, expired, or left in flight by a dead process for this same request).
    /// </summary>
    public async Task<KeyClaim> LookAsync(Guid customerId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        const string look = ReadSql + """

              AND expires_at >= now()
              AND NOT (response_status IS NULL AND locked_at < now() - @abandonedAfter AND request_hash = @requestHash)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(look,
            new { customerId, key, requestHash, abandonedAfter = options.Value.AbandonedAfter }, cancellationToken: cancellationToken));
        return row is null ? new KeyClaim.Claimed() : Judge(row, requestHash);
    }

    private const string ReadSql = """
        SELECT request_hash AS requesthash, response_status AS responsestatus,
               response_headers::text AS responseheaders, response_body AS responsebody
        FROM idempotency_keys
        WHERE customer_id = @customerId AND key = @key
        """;

    private static KeyClaim Judge(KeyRow row, byte[] requestHash)
    {
        if (!row.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            return new KeyClaim.Mismatch();
        }
        if (row.ResponseStatus is null)
        {
            return new KeyClaim.InFlight();
        }
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(row.ResponseHeaders ?? "{}", JsonOptions) ?? [];
        return new KeyClaim.Completed(new StoredResponse(row.ResponseStatus.Value, headers, row.ResponseBody ?? []));
    }

    public async Task CompleteAsync(Guid customerId, string key, StoredResponse response, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE idempotency_keys
            SET response_status = $3, response_headers = $4, response_body = $5, completed_at = now(), locked_at = NULL
            WHERE customer_id = $1 AND key = $2
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = response.Status });
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = JsonSerializer.Serialize(response.Headers, JsonOptions) });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = response.Body });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A request with this key runs right now (<see cref="ClaimCompletedCommand"/>).</summary>
    public const string KeyInFlightSqlState = "SA423";

    /// <summary>Another request claimed the key since it was looked at (<see cref="ClaimCompletedCommand"/>).</summary>
    public const string KeyTakenSqlState = "SA422";

    private const string ClaimCompletedSql = "SELECT idempotency_claim_completed($1, $2, $3, $4, $5, $6, $7, $8)";

    /// <summary>
    /// Claims the key already completed with <paramref name="response"/>, as a statement of the
    /// endpoint's own transaction (migration 0038). It fails that transaction with
    /// <see cref="KeyInFlightSqlState"/> or <see cref="KeyTakenSqlState"/> when the key is not free.
    /// </summary>
    public NpgsqlBatchCommand ClaimCompletedCommand(Guid customerId, string key, byte[] requestHash, StoredResponse response)
    {
        var command = new NpgsqlBatchCommand(ClaimCompletedSql);
        command.Parameters.AddRange(ClaimCompletedParameters(customerId, key, requestHash, response).ToArray());
        return command;
    }

    /// <summary>
    /// Records the response of a request that claims its key in its own transaction when that
    /// transaction did not (a rejected checkout). A key taken meanwhile keeps its holder's response.
    /// </summary>
    public async Task RecordAsync(Guid customerId, string key, byte[] requestHash, StoredResponse response, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ClaimCompletedSql);
        command.Parameters.AddRange(ClaimCompletedParameters(customerId, key, requestHash, response).ToArray());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is KeyInFlightSqlState or KeyTakenSqlState)
        {
            // Another request with this key holds it: its response is the one to replay.
        }
    }

    private IEnumerable<NpgsqlParameter> ClaimCompletedParameters(Guid customerId, string key, byte[] requestHash, StoredResponse response)
    {
        yield return new NpgsqlParameter<Guid> { TypedValue = customerId };
        yield return new NpgsqlParameter<string> { TypedValue = key };
        yield return new NpgsqlParameter<byte[]> { TypedValue = requestHash };
        yield return new NpgsqlParameter<TimeSpan> { TypedValue = options.Value.KeyLifetime };
        yield return new NpgsqlParameter<TimeSpan> { TypedValue = options.Value.AbandonedAfter };
        yield return new NpgsqlParameter<int> { TypedValue = response.Status };
        yield return new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = JsonSerializer.Serialize(response.Headers, JsonOptions) };
        yield return new NpgsqlParameter<byte[]> { TypedValue = response.Body };
    }

    /// <summary>Forgets an unfinished key (the request failed with a 5xx), so a retry runs again.</summary>
    public async Task ReleaseAsync(Guid customerId, string key, CancellationToken cancellationToken)
    {
        const string sql = "DELETE FROM idempotency_keys WHERE customer_id = @customerId AND key = @key AND response_status IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { customerId, key }, cancellationToken: cancellationToken));
    }
}
