using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using ShopAspire.NativeServers.Postgres;
using ShopAspire.NativeServers.RabbitMQ;
using ShopAspire.NativeServers.Redis;

namespace ShopAspire.AppHost.Tests;

/// <summary>
/// The native servers' connection strings have the shapes of Aspire's container resources, so a
/// service cannot tell which runtime it got (docs: aspire-contract.md). Checked against Aspire's own
/// resource classes, and with values.
/// </summary>
public sealed class ConnectionStringTests
{
    [Fact]
    public async Task Postgres_connection_string_has_aspires_shape()
    {
        var password = Password("postgres-password", "s3cret");
        var native = new NativePostgresServerResource("postgres", "/bin/sh", "/tmp", password);

        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            native.ConnectionStringExpression.ValueExpression);
        Assert.Equal(new PostgresServerResource("postgres", null, password).ConnectionStringExpression.ValueExpression,
            native.ConnectionStringExpression.ValueExpression);

        Allocate(native, "tcp", 54321);
        Assert.Equal("Host=localhost;Port=54321;Username=postgres;Password=s3cret", await native.ConnectionStringExpression.GetValueAsync(default));
    }

    [Fact]
    public async Task A_database_appends_its_name_to_the_server_connection_string()
    {
        var password = Password("postgres-password", "s3cret");
        var server = new NativePostgresServerResource("postgres", "/bin/sh", "/tmp", password);
        var shopdb = new NativePostgresDatabaseResource("shopdb", "shopdb", server);
        var renamed = new NativePostgresDatabaseResource("orders", "orders_v2", server);

        Assert.Equal("{postgres.connectionString};Database=shopdb", shopdb.ConnectionStringExpression.ValueExpression);
        Assert.Equal("{postgres.connectionString};Database=orders_v2", renamed.ConnectionStringExpression.ValueExpression);
        var aspireServer = new PostgresServerResource("postgres", null, password);
        Assert.Equal(new PostgresDatabaseResource("shopdb", "shopdb", aspireServer).ConnectionStringExpression.ValueExpression,
            shopdb.ConnectionStringExpression.ValueExpression);

        Allocate(server, "tcp", 54321);
        Assert.Equal("Host=localhost;Port=54321;Username=postgres;Password=s3cret;Database=shopdb", await shopdb.ConnectionStringExpression.GetValueAsync(default));
    }

    [Fact]
    public async Task Redis_connection_string_has_aspires_shape()
    {
        var password = Password("cache-password", "s3cret");
        var native = new NativeRedisResource("cache", "/bin/sh", "/tmp", password);

        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}",
            native.ConnectionStringExpression.ValueExpression);
        // Aspire's adds a TLS suffix that is empty without TLS; native Redis has none.
        Assert.StartsWith(native.ConnectionStringExpression.ValueExpression,
            new RedisResource("cache", password).ConnectionStringExpression.ValueExpression, StringComparison.Ordinal);

        Allocate(native, "tcp", 16379);
        Assert.Equal("localhost:16379,password=s3cret", await native.ConnectionStringExpression.GetValueAsync(default));
    }

    [Fact]
    public async Task RabbitMQ_connection_string_has_aspires_shape_with_the_password_uri_encoded()
    {
        var password = Password("messaging-password", "p@ss:w/rd%");
        var native = new NativeRabbitMQServerResource("messaging", "/bin/sh", "/tmp", password);

        Assert.Equal(new RabbitMQServerResource("messaging", null, password).ConnectionStringExpression.ValueExpression,
            native.ConnectionStringExpression.ValueExpression);
        Assert.StartsWith("amqp://guest:", native.ConnectionStringExpression.ValueExpression, StringComparison.Ordinal);
        Assert.EndsWith("@{messaging.bindings.tcp.host}:{messaging.bindings.tcp.port}", native.ConnectionStringExpression.ValueExpression, StringComparison.Ordinal);

        Allocate(native, "tcp", 15672);
        var value = await native.ConnectionStringExpression.GetValueAsync(default);
        Assert.Equal("amqp://guest:p%40ss%3Aw%2Frd%25@localhost:15672", value);
        Assert.Equal("p@ss:w/rd%", Uri.UnescapeDataString(new Uri(value!).UserInfo.Split(':')[1]));
    }

    private static ParameterResource Password(string name, string value) => new(name, _ => value, secret: true);

    private static void Allocate(IResource resource, string endpointName, int port)
    {
        var endpoint = new EndpointAnnotation(ProtocolType.Tcp, uriScheme: "tcp", name: endpointName);
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port);
        resource.Annotations.Add(endpoint);
    }
}
