namespace Microsoft.Extensions.Hosting;

public static class PooledNpgsqlDataSource
{
    /// <summary>
    /// Aspire's Npgsql data source (pooling, health check, traces, metrics) for a service that keeps
    /// no session state on pooled connections: no SET, no temporary tables, no LISTEN on a
    /// connection that goes back to the pool (the outbox signal holds its own). Npgsql then skips
    /// the DISCARD ALL it otherwise runs on every connection taken from the pool: Postgres executed
    /// it eight times per checkout, as many statements as the checkout's own writes.
    /// Statements a service runs again and again are prepared on each pooled connection (Npgsql's
    /// automatic preparation, 64 per connection unless the connection string sets it), so Postgres
    /// parses and plans each once per connection instead of once per execution; the prepared
    /// statements live as long as the connection, which is why it must not be reset.
    /// </summary>
    public static IHostApplicationBuilder AddPooledNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource =>
        {
            dataSource.ConnectionStringBuilder.NoResetOnClose = true;
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            }
        });
        return builder;
    }
}
