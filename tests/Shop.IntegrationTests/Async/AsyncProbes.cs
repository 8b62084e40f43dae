using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Async;

/// <summary>What the async tests look at: order states, the provider's ledger, the mail sink, worker stats.</summary>
public sealed class AsyncProbes(ShopStackFixture stack) : IDisposable
{
    private readonly HttpClient _payments = stack.CreateHttpClient("payments");
    private readonly HttpClient _mail = stack.CreateHttpClient("mail");
    private readonly HttpClient _worker = AdminTokenHandler.ClientFor(stack, "worker");

    public async Task<OrderSeeder> SeederAsync() => new(await stack.ConnectionStringAsync("shopdb"));

    public async Task<NpgsqlConnection> OpenShopDbAsync()
    {
        var connection = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await connection.OpenAsync();
        return connection;
    }

    public sealed record StatusCounts(int Pending, int Paid, int PaymentFailed)
    {
        public int Settled => Paid + PaymentFailed;
    }

    public async Task<StatusCounts> CountStatusesAsync(IReadOnlyCollection<Guid> orderIds)
    {
        await using var db = await OpenShopDbAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE status = 'pending')::int, count(*) FILTER (WHERE status = 'paid')::int,
                   count(*) FILTER (WHERE status = 'payment_failed')::int
            FROM orders WHERE id = ANY($1)
            """, db) { Parameters = { new() { Value = orderIds.ToArray() } } };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new StatusCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    /// <summary>Waits until every order is paid or payment_failed; fails with the counts when it takes longer than <paramref name="within"/>.</summary>
    public async Task<StatusCounts> WaitUntilSettledAsync(IReadOnlyCollection<Guid> orderIds, TimeSpan within)
    {
        StatusCounts last = new(orderIds.Count, 0, 0);
        try
        {
            return await Eventually.GetAsync(async () =>
            {
                last = await CountStatusesAsync(orderIds);
                return last.Settled == orderIds.Count ? last : null;
            }, within, $"all {orderIds.Count} orders paid or payment_failed");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last seen {last}; worker log tail:\n{string.Join('\n', stack.App.GetLogs("worker", 30))}", e);
        }
    }

    /// <summary>Charges the provider recorded per order (its reference), from its own database.</summary>
    public async Task<Dictionary<Guid, int>> ChargesPerOrderAsync(IReadOnlyCollection<Guid> orderIds)
    {
        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("paymentsdb"));
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT reference, count(*)::int FROM charges WHERE reference = ANY($1) GROUP BY reference", db)
        {
            Parameters = { new() { Value = orderIds.Select(id => id.ToString()).ToArray() } },
        };
        var counts = new Dictionary<Guid, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[Guid.Parse(reader.GetString(0))] = reader.GetInt32(1);
        }
        return counts;
    }

    /// <summary>Mails received per order, by the confirmation's Message-ID (one per order by design).</summary>
    public async Task<Dictionary<Guid, int>> MailsPerOrderAsync(IReadOnlyCollection<Guid> orderIds, string recipient)
    {
        var mails = await _mail.GetFromJsonAsync<JsonElement>($"/api/messages?to={Uri.EscapeDataString(recipient)}");
        var wanted = orderIds.ToDictionary(id => $"order-{id:N}.confirmation@shopaspire.local", id => id);
        var counts = new Dictionary<Guid, int>();
        foreach (var mail in mails.EnumerateArray())
        {
            var messageId = mail.GetProperty("messageId").GetString()?.Trim('<', '>');
            if (messageId is not null && wanted.TryGetValue(messageId, out var orderId))
            {
                counts[orderId] = counts.GetValueOrDefault(orderId) + 1;
            }
        }
        return counts;
    }

    public async Task SetProviderBehaviourAsync(object behaviour)
    {
        using var response = await _payments.PutAsJsonAsync("/admin/behaviour", behaviour);
        response.EnsureSuccessStatusCode();
    }

    public Task ResetProviderAsync() => SetProviderBehaviourAsync(new { });

    public Task<JsonElement> WorkerPaymentStatsAsync() => _worker.GetFromJsonAsync<JsonElement>("/api/v1/admin/payments");

    public async Task<long> WorkerPaymentStatAsync(string name)
    {
        var stats = await WorkerPaymentStatsAsync();
        return stats.TryGetProperty(name, out var value) ? value.GetInt64() : 0;
    }

    public HttpClient Worker => _worker;

    /// <summary>Publishes straight to shop.events, as a foreign or buggy producer would.</summary>
    public async Task PublishAsync(string routingKey, string? messageId, byte[] body)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await stack.ConnectionStringAsync("messaging")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { Persistent = true, MessageId = messageId, ContentType = "application/json" };
        await channel.BasicPublishAsync("shop.events", routingKey, mandatory: true, properties, body);
    }

    public static byte[] Json(object value) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    public void Dispose()
    {
        _payments.Dispose();
        _mail.Dispose();
        _worker.Dispose();
    }
}
