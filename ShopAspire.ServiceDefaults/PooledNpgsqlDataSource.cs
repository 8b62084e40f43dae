namespace Microsoft.Extensions.Hosting;

public static class PooledNpgsqlDataSource
{
    /// <summary>
    /// Aspire's Npgsql data source (pooling, health check, traces, metrics) for a service that keeps
    /// no session state on pooled connections: no SET, no temporary tables, no LISTEN on a
    /// connection that goes back to the pool (the outbox signal holds its own). Npgsql then skips
    /// the DISCARD ALL it otherwise runs on every connection taken from the pool: Postgres executed
    /// it eight times per checkout, as many statements as the checkout's own writes.
    /// </summary>
    public static IHostApplicationBuilder AddPooledNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddNpgsqlDataSource(connectionName, configureDataSourceBuilder: dataSource => dataSource.ConnectionStringBuilder.NoResetOnClose = true);
        return builder;
    }
}
