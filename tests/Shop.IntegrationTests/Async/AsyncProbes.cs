using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using Shop.IntegrationTests.Infrastructure;
using Shop.Testing;

namespace Shop.IntegrationTests.Async;

/// <summary>What the async tests look at: order states, the provider's ledger, the mail server's inbox, worker stats.</summary>
public sealed class AsyncProbes(ShopStackFixture stack) : IDisposable
{
    private readonly HttpClient _payments = stack.CreateHttpClient("payments");
    private readonly MailServerClient _mail = stack.Shop.CreateMailClient();
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
            throw new TimeoutException($"{e.Message}; last seen {last}; {await DescribeUnsettledAsync(orderIds)}\nworker log tail:\n{string.Join('\n', stack.Shop.Logs.Tail("worker", 30))}", e);
        }
    }

    /// <summary>Where the first few unsettled orders stand: their outbox rows and what the logs say of those messages.</summary>
    private async Task<string> DescribeUnsettledAsync(IReadOnlyCollection<Guid> orderIds)
    {
        await using var db = await OpenShopDbAsync();
        await using var command = new NpgsqlCommand("""
            SELECT o.id, o.created_at, m.id, m.routing_key, m.created_at, m.sent_at, m.attempts, m.last_error
            FROM (SELECT id, created_at FROM orders WHERE id = ANY($1) AND status = 'pending' ORDER BY created_at LIMIT 5) o
            LEFT JOIN outbox_messages m ON m.payload->>'orderId' = o.id::text
            """, db) { Parameters = { new() { Value = orderIds.ToArray() } } };
        var lines = new List<string> { "unsettled orders:" };
        var messageIds = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var message = reader.IsDBNull(2) ? "no outbox message" :
                    $"outbox {reader.GetGuid(2)} {reader.GetString(3)} created {reader.GetDateTime(4):O} sent {(reader.IsDBNull(5) ? "never" : reader.GetDateTime(5).ToString("O"))} " +
                    $"attempts {reader.GetInt32(6)} last error {(reader.IsDBNull(7) ? "none" : reader.GetString(7))}";
                lines.Add($"  order {reader.GetGuid(0)} placed {reader.GetDateTime(1):O}: {message}");
                if (!reader.IsDBNull(2))
                {
                    messageIds.Add(reader.GetGuid(2).ToString());
                }
            }
        }
        lines.AddRange(stack.Shop.Logs.Tail("worker", 100_000).Concat(stack.Shop.Logs.Tail("api", 100_000))
            .Where(l => messageIds.Any(id => l.Contains(id, StringComparison.OrdinalIgnoreCase))).TakeLast(20));
        return string.Join('\n', lines);
    }

    /// <summary>Outbox messages not yet confirmed by the broker.</summary>
    public async Task<long> OutboxBacklogAsync()
    {
        await using var db = await OpenShopDbAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", db);
        return (long)(await command.ExecuteScalarAsync())!;
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

    /// <summary>Mails received per order, by the confirmation's subject, which names the order (one per order by design).</summary>
    public async Task<Dictionary<Guid, int>> MailsPerOrderAsync(IReadOnlyCollection<Guid> orderIds, string recipient, bool pollingForNew = false)
    {
        // The subject names the order, so the list alone counts them: no request per mail, which
        // on a busy machine made a poll over a few hundred mails take longer than the budget.
        var mails = pollingForNew ? await _mail.ListSeenAndNewAsync(recipient) : await _mail.ListAsync(recipient);
        var wanted = orderIds.ToDictionary(id => $"Your ShopAspire order {id} is confirmed", id => id, StringComparer.Ordinal);
        var counts = new Dictionary<Guid, int>();
        foreach (var mail in mails)
        {
            if (wanted.TryGetValue(mail.Subject, out var orderId))
            {
                counts[orderId] = counts.GetValueOrDefault(orderId) + 1;
            }
        }
        return counts;
    }

    /// <summary>
    /// Waits for a confirmation mail for every order while mails keep arriving (a backlog of
    /// thousands drains at the mail server's pace, slow on a busy machine); fails when none has
    /// arrived for <paramref name="stall"/>, saying how many came and what the mail queue holds.
    /// </summary>
    public async Task<Dictionary<Guid, int>> WaitForMailsAsync(IReadOnlyCollection<Guid> orderIds, string recipient, TimeSpan stall)
    {
        var last = new Dictionary<Guid, int>();
        try
        {
            await Eventually.WhileProgressingAsync(async () => (last = await MailsPerOrderAsync(orderIds, recipient, pollingForNew: true)).Count,
                orderIds.Count, stall, "orders with a confirmation mail", interval: TimeSpan.FromSeconds(2));
            // The figures from the whole inbox as it is now, not from what the polls saw.
            return last = await MailsPerOrderAsync(orderIds, recipient);
        }
        catch (TimeoutException e)
        {
            var missing = orderIds.Where(id => !last.ContainsKey(id)).Take(5).Select(id => id.ToString()).ToArray();
            throw new TimeoutException($"{e.Message}; worker.email holds {await ReadyMessagesAsync("worker.email")} ready messages; " +
                $"first orders without mail: {string.Join(", ", missing)}\nworker log tail:\n{string.Join('\n', stack.Shop.Logs.Tail("worker", 30))}", e);
        }
    }

    public MailServerClient Mail => _mail;

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

    /// <summary>Messages ready in a queue (not counting those a consumer holds unacknowledged).</summary>
    public async Task<uint> ReadyMessagesAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await stack.ConnectionStringAsync("messaging")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>
    /// Waits until no confirmation mail is queued. A test that places a thousand orders leaves
    /// their mails behind; on a busy CI machine the mail server takes a minute or more for them,
    /// and a later test waiting for its own mail would time out behind them.
    /// </summary>
    public Task WaitForIdleMailQueueAsync(TimeSpan within) =>
        Eventually.GetAsync(async () => await ReadyMessagesAsync("worker.email") == 0 ? "" : null,
            within, "an idle mail queue (earlier orders' mails delivered)");

    public static byte[] Json(object value) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    public void Dispose()
    {
        _payments.Dispose();
        _mail.Dispose();
        _worker.Dispose();
    }
}
