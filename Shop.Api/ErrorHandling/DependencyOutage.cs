using Npgsql;
using StackExchange.Redis;

namespace Shop.Api.ErrorHandling;

/// <summary>
/// Failures that say a server is down or restarting, not that the request or the code is wrong:
/// a refused or broken connection, a timeout, Postgres shutting down, starting up or out of
/// connections. A client can do nothing but retry, so they are a 503, never a 500.
/// </summary>
internal static class DependencyOutage
{
    public static bool Is(Exception exception) => exception switch
    {
        // Npgsql marks connection failures, I/O errors, timeouts and the server's own
        // "shutting down / starting up / too many connections" (57P0x, 53300) as transient.
        NpgsqlException { IsTransient: true } => true,
        RedisConnectionException or RedisTimeoutException => true,
        // The connection pool gave up waiting for a connection the outage broke.
        TimeoutException { InnerException: NpgsqlException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is),
        { InnerException: { } inner } when exception is not NpgsqlException => Is(inner),
        _ => false,
    };
}
