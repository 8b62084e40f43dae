using System.Text;
using RabbitMQ.Client;
using ShopAspire.Hosting;

namespace ShopAspire.Hosting.Tests;

/// <summary>What failure tests do to a running stack: stop a server and bring it back, kill -9 a process and restart it.</summary>
public class ResourceControlTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static IDistributedApplicationBuilder TestBuilder()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        builder.Options.EphemeralData = true;
        builder.Options.ConsoleReporting = false;
        return builder;
    }

    [Fact]
    public async Task A_stopped_broker_starts_again_on_the_same_port_with_its_durable_messages()
    {
        var builder = TestBuilder();
        builder.AddRabbitMQ("messaging");
        await using var app = builder.Build();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("messaging").WaitAsync(Patience);
        var connectionString = await app.GetConnectionStringAsync("messaging");
        var factory = new ConnectionFactory { Uri = new Uri(connectionString!), AutomaticRecoveryEnabled = false };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync("kept", durable: true, exclusive: false, autoDelete: false);
            await channel.BasicPublishAsync("", "kept", mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes("survives a restart"));
        }

        await app.StopResourceAsync("messaging");

        Assert.Equal(ResourceState.Finished, app.ResourceNotifications.Get("messaging").State);
        await Assert.ThrowsAnyAsync<Exception>(() => factory.CreateConnectionAsync());

        await app.StartResourceAsync("messaging");
        await app.ResourceNotifications.WaitForResourceHealthyAsync("messaging").WaitAsync(Patience);

        Assert.Equal(connectionString, await app.GetConnectionStringAsync("messaging"));
        await using var reconnected = await factory.CreateConnectionAsync();
        await using var reader = await reconnected.CreateChannelAsync();
        var message = await reader.BasicGetAsync("kept", autoAck: true);
        Assert.NotNull(message);
        Assert.Equal("survives a restart", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task A_killed_server_is_reported_exited_and_restarts_on_the_same_port()
    {
        var builder = TestBuilder();
        builder.AddRedis("cache");
        await using var app = builder.Build();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience);
        var firstPid = app.ResourceNotifications.Get("cache").ProcessId!.Value;
        var connectionString = await app.GetConnectionStringAsync("cache");

        await app.KillResourceAsync("cache").WaitAsync(Patience);

        var killed = app.ResourceNotifications.Get("cache");
        Assert.Equal(ResourceState.Exited, killed.State);
        Assert.NotEqual(0, killed.ExitCode);

        await app.StartResourceAsync("cache");
        var restarted = await app.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience);

        Assert.NotEqual(firstPid, restarted.ProcessId);
        Assert.Equal(connectionString, await app.GetConnectionStringAsync("cache"));
    }

    [Fact]
    public async Task Starting_a_running_resource_is_refused()
    {
        var builder = TestBuilder();
        builder.AddRedis("cache");
        await using var app = builder.Build();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience);

        await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartResourceAsync("cache"));
        await Assert.ThrowsAsync<ArgumentException>(() => app.StopResourceAsync("nothing-by-that-name"));
    }
}
