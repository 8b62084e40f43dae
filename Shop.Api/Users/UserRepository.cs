using Dapper;
using Npgsql;

namespace Shop.Api.Users;

internal sealed class UserRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, email, display_name AS DisplayName, role, password_hash AS PasswordHash, created_at AS CreatedAt";

    /// <returns>The new account, or null when the email is already registered.</returns>
    public async Task<UserAccount?> TryInsertAsync(UserAccount user, CancellationToken cancellationToken)
    {
        // ON CONFLICT on the lower(email) index: two sign-ups racing for one address give one
        // account and one clean "taken" answer, never a unique-violation 500.
        const string sql = $"""
            INSERT INTO users (id, email, display_name, password_hash, role)
            VALUES (@Id, @Email, @DisplayName, @PasswordHash, @Role)
            ON CONFLICT ((lower(email))) DO NOTHING
            RETURNING {Columns}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(sql, user, cancellationToken: cancellationToken));
    }

    public async Task<UserAccount?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM users WHERE lower(email) = lower(@email) AND deleted_at IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(sql, new { email }, cancellationToken: cancellationToken));
    }

    public async Task<UserAccount?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = $"SELECT {Columns} FROM users WHERE id = @id AND deleted_at IS NULL";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Makes sure the configured admin exists with this password and the admin role.</summary>
    public async Task UpsertAdminAsync(UserAccount admin, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO users (id, email, display_name, password_hash, role)
            VALUES (@Id, @Email, @DisplayName, @PasswordHash, 'admin')
            ON CONFLICT ((lower(email))) DO UPDATE
               SET password_hash = EXCLUDED.password_hash, role = 'admin', deleted_at = NULL, updated_at = now()
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, admin, cancellationToken: cancellationToken));
    }
}
