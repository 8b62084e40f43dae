extern alias ShopApi;
extern alias ShopWorker;

using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;
using ShopAspire.Messaging.Retention;
using Xunit.Abstractions;
using ShopApi::Shop.Api.Outbox;
using ShopWorker::Shop.Worker.Database;
using ShopWorker::Shop.Worker.Messaging.Pipeline;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// Sent outbox messages and processed-message records are deleted a week after they were written,
/// in batches, through BRIN indexes; unsent messages stay whatever their age. In a database of its
/// own, so the stack's relay does not publish the old unsent rows this test writes.
/// </summary>
[Collection(ShopStackCollection.Name)]
public sealed class RetentionTests(ShopStackFixture stack, ITestOutputHelper output) : IAsyncLifetime
{
    private ScratchShopDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _database = await ScratchShopDatabase.CreateAsync(await stack.ConnectionStringAsync("shopdb"), "retention");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Sent_outbox_messages_are_deleted_after_a_week_and_unsent_or_newer_ones_are_kept()
    {
        // More old sent rows than one batch: the sweep goes on until a batch comes back short.
        var oldSent = RetentionSweep.BatchSize * 2 + 7;
        await InsertOutboxAsync(oldSent, age: "8 days", sent: true);
        await InsertOutboxAsync(3, age: "8 days", sent: false);
        await InsertOutboxAsync(5, age: "6 days", sent: true);
        await InsertOutboxAsync(2, age: "1 minute", sent: false);

        var deleted = await OutboxSweep().RunOnceAsync(CancellationToken.None);

        Assert.Equal(oldSent, deleted);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox_messages WHERE created_at < now() - interval '7 days' AND sent_at IS NOT NULL"));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM outbox_messages WHERE created_at < now() - interval '7 days' AND sent_at IS NULL"));
        Assert.Equal(7, await CountAsync("SELECT count(*) FROM outbox_messages WHERE created_at > now() - interval '7 days'"));
        Assert.Equal(0, await OutboxSweep().RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Processed_message_records_are_deleted_after_a_week_and_newer_ones_are_kept()
    {
        await InsertProcessedAsync(RetentionSweep.BatchSize + 1, age: "8 days");
        await InsertProcessedAsync(4, age: "6 days 23 hours");

        var deleted = await ProcessedSweep().RunOnceAsync(CancellationToken.None);

        Assert.Equal(RetentionSweep.BatchSize + 1, deleted);
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM processed_messages"));
    }

    [Fact]
    public async Task At_volume_both_sweeps_find_old_rows_through_their_brin_indexes_without_scanning_the_table()
    {
        // A week and a sweep interval of rows: the sweep's old rows are the oldest 1%, first on disk.
        await InsertOutboxAsync(3_000, age: "8 days", sent: true);
        await InsertOutboxAsync(300_000, age: "3 days", sent: true);
        await InsertProcessedAsync(3_000, age: "8 days");
        await InsertProcessedAsync(300_000, age: "3 days");
        await ExecuteAsync("ANALYZE outbox_messages; ANALYZE processed_messages");

        var outbox = await ExplainAsync(OutboxRetention.DeleteSql);
        var processed = await ExplainAsync(ProcessedMessagesRetention.DeleteSql);

        Assert.DoesNotContain(outbox, n => n.NodeType == "Seq Scan");
        Assert.Contains(outbox, n => n.NodeType == "Bitmap Index Scan" && n.Index == "outbox_messages_created_brin");
        Assert.DoesNotContain(processed, n => n.NodeType == "Seq Scan");
        Assert.Contains(processed, n => n.NodeType == "Bitmap Index Scan" && n.Index == "processed_messages_processed_brin");
    }

    private RetentionSweep OutboxSweep() =>
        new OutboxRetention(_dataSource, Options.Create(new OutboxRetentionOptions()), TimeProvider.System,
            new ShopApi::Shop.Api.Database.MigrationState(), NullLogger<OutboxRetention>.Instance).Sweep;

    private RetentionSweep ProcessedSweep() =>
        new ProcessedMessagesRetention(_dataSource, Options.Create(new ProcessedMessagesOptions()),
            new ShopSchemaGate(_dataSource, TimeProvider.System, NullLogger<ShopSchemaGate>.Instance), TimeProvider.System,
            NullLogger<ProcessedMessagesRetention>.Instance).Sweep;

    private Task InsertOutboxAsync(int count, string age, bool sent) => ExecuteAsync($"""
        INSERT INTO outbox_messages (id, routing_key, message_type, payload, created_at, sent_at)
        SELECT gen_random_uuid(), 'orders.placed', 'OrderPlaced', jsonb_build_object('orderId', gen_random_uuid()),
               now() - interval '{age}', {(sent ? $"now() - interval '{age}' + interval '50 milliseconds'" : "NULL")}
        FROM generate_series(1, {count})
        """);

    private Task InsertProcessedAsync(int count, string age) => ExecuteAsync($"""
        INSERT INTO processed_messages (consumer, message_id, processed_at)
        SELECT 'payments', gen_random_uuid()::text, now() - interval '{age}' FROM generate_series(1, {count})
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var db = await _database.OpenAsync();
        await ScratchShopDatabase.ExecuteAsync(db, sql);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed record PlanNode(string NodeType, string? Relation, string? Index);

    private async Task<IReadOnlyList<PlanNode>> ExplainAsync(string deleteSql)
    {
        await using var command = _dataSource.CreateCommand("EXPLAIN (FORMAT JSON) " + deleteSql);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = TimeSpan.FromDays(7) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = RetentionSweep.BatchSize });
        var plan = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
        var nodes = new List<PlanNode>();
        Flatten(plan, nodes);
        output.WriteLine(string.Join(" > ", nodes.Select(n => $"{n.NodeType} {n.Relation} {n.Index}".TrimEnd())));
        return nodes;
    }

    private static void Flatten(JsonElement node, List<PlanNode> into)
    {
        into.Add(new PlanNode(node.GetProperty("Node Type").GetString()!,
            node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
            node.TryGetProperty("Index Name", out var index) ? index.GetString() : null));
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Flatten(child, into);
            }
        }
    }
}
