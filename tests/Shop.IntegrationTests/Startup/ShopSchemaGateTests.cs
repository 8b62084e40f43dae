extern alias ShopWorker;

using Microsoft.Extensions.Logging.Abstractions;
using ShopWorker::Shop.Worker.Database;

namespace Shop.IntegrationTests.Startup;

/// <summary>The worker's consumers wait for Shop.Api's tables (no stack needed: the check is faked).</summary>
public class ShopSchemaGateTests
{
    [Fact]
    public async Task The_gate_opens_only_when_no_required_table_is_missing()
    {
        var answers = new Queue<IReadOnlyList<string>>([["outbox_messages", "orders"], ["order_payments"], []]);
        var checks = 0;
        var gate = new ShopSchemaGate(_ => { checks++; return Task.FromResult(answers.Dequeue()); }, new ImmediateTimeProvider(), NullLogger<ShopSchemaGate>.Instance);

        await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(gate.IsOpen);
        Assert.Equal(3, checks);
        await gate.WaitAsync(CancellationToken.None);
        Assert.Equal(3, checks); // open for good: no more queries
    }

    [Fact]
    public async Task An_unreachable_database_keeps_the_gate_closed_and_is_checked_again()
    {
        var checks = 0;
        var gate = new ShopSchemaGate(_ => ++checks < 3 ? throw new Npgsql.NpgsqlException("connection refused") : Task.FromResult<IReadOnlyList<string>>([]),
            new ImmediateTimeProvider(), NullLogger<ShopSchemaGate>.Instance);

        await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(3, checks);
    }

    [Fact]
    public async Task A_worker_stopping_while_the_schema_is_missing_stops_waiting()
    {
        var gate = new ShopSchemaGate(_ => Task.FromResult<IReadOnlyList<string>>(["orders"]), TimeProvider.System, NullLogger<ShopSchemaGate>.Instance);
        using var stopping = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.WaitAsync(stopping.Token));
        Assert.False(gate.IsOpen);
    }

    [Fact]
    public void The_required_tables_are_tables_the_migrations_create()
    {
        var migrations = Path.Combine(Docs.RepositoryRoot.Path, "Shop.Api", "Database", "Migrations");
        var created = Directory.EnumerateFiles(migrations, "*.sql")
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)"))
            .Select(m => m.Groups[1].Value)
            .ToHashSet();

        Assert.All(ShopSchemaGate.RequiredTables, table => Assert.Contains(table, created));
    }

    /// <summary>Every timer fires at once: the gate's back-off costs the test no time.</summary>
    private sealed class ImmediateTimeProvider : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new NoTimer();
        }

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
