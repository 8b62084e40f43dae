extern alias ShopWorker;

using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ShopAspire.Messaging.Outbox;
using ShopWorker::Shop.Worker.Messaging.Pipeline;

namespace Shop.IntegrationTests.Messaging;

/// <summary>
/// What the worker's pipeline does around a handler, with the delivery transactions faked (the
/// Postgres side is covered by the stack's order-flow and failure tests): parsing, de-duplication,
/// commit or rollback, a DI scope per delivery, and exceptions turned into outcomes.
/// </summary>
public class MessagePipelineTests
{
    private readonly FakeTransactions _transactions = new();
    private readonly ServiceProvider _services;

    public MessagePipelineTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<HandlerCalls>();
        services.AddScoped<RecordingHandler>();
        _services = services.BuildServiceProvider();
    }

    private HandlerCalls Calls => _services.GetRequiredService<HandlerCalls>();

    private MessagePipeline<TestEvent, RecordingHandler> Pipeline() =>
        new("test-consumer", _services.GetRequiredService<IServiceScopeFactory>(), _transactions, new OutboxWriter(),
            NullLogger<MessagePipeline<TestEvent, RecordingHandler>>.Instance);

    private static IncomingMessage Message(string json, string messageId = "m-1") =>
        new(messageId, "tests.event", Encoding.UTF8.GetBytes(json), Attempt: 1, Redelivered: false);

    private static string Valid(string outcome = "done") => $$"""{"orderId":"{{Guid.NewGuid()}}","outcome":"{{outcome}}"}""";

    [Fact]
    public async Task A_handled_message_is_committed_with_its_processed_record()
    {
        var result = await Pipeline().HandleAsync(Message(Valid()), CancellationToken.None);

        Assert.Equal(HandleOutcome.Done, result.Outcome);
        Assert.Equal(["test-consumer/m-1"], _transactions.Begun);
        Assert.Equal(1, _transactions.Committed);
        Assert.Equal(1, Calls.Count);
    }

    [Fact]
    public async Task A_duplicate_is_done_and_nothing_of_it_commits()
    {
        _transactions.AlreadyProcessed.Add("m-1");

        var result = await Pipeline().HandleAsync(Message(Valid()), CancellationToken.None);

        Assert.Equal(HandleOutcome.Done, result.Outcome);
        Assert.Equal(0, _transactions.Committed);
        Assert.Equal(1, _transactions.RolledBack);
    }

    [Fact]
    public async Task Another_unique_violation_is_a_retry_not_a_duplicate()
    {
        _transactions.CommitFailure = Violation("order_emails_pkey");

        var result = await Pipeline().HandleAsync(Message(Valid()), CancellationToken.None);

        Assert.Equal(HandleOutcome.Retry, result.Outcome);
        Assert.Contains("PostgresException", result.Reason);
        Assert.Equal(1, _transactions.RolledBack);
    }

    [Fact]
    public async Task A_handler_that_only_writes_sends_its_writes_with_the_commit()
    {
        var result = await Pipeline().HandleAsync(Message(Valid("write")), CancellationToken.None);

        Assert.Equal(HandleOutcome.Done, result.Outcome);
        Assert.Equal(["UPDATE t SET n = n + 1"], _transactions.WrittenOnCommit);
        Assert.Equal(1, _transactions.Committed);
    }

    [Fact]
    public async Task Writes_of_a_handler_that_does_not_finish_are_never_sent()
    {
        var result = await Pipeline().HandleAsync(Message(Valid("write-then-retry")), CancellationToken.None);

        Assert.Equal(HandleOutcome.Retry, result.Outcome);
        Assert.Empty(_transactions.WrittenOnCommit);
        Assert.Equal(0, _transactions.Committed);
        Assert.Equal(1, _transactions.RolledBack);
    }

    private static PostgresException Violation(string constraint) =>
        new("duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation, constraintName: constraint);

    [Theory]
    [InlineData("retry", HandleOutcome.Retry)]
    [InlineData("defer", HandleOutcome.Defer)]
    [InlineData("poison", HandleOutcome.Poison)]
    public async Task Anything_but_done_rolls_the_transaction_back(string outcome, HandleOutcome expected)
    {
        var result = await Pipeline().HandleAsync(Message(Valid(outcome)), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(0, _transactions.Committed);
        Assert.Equal(1, _transactions.RolledBack);
    }

    [Theory]
    [InlineData("not json", "not a TestEvent")]
    [InlineData("null", "body is JSON null")]
    [InlineData("""{"orderId":"00000000-0000-0000-0000-000000000000"}""", "orderId is missing")]
    public async Task An_unusable_message_is_poison_before_any_transaction(string body, string reason)
    {
        var result = await Pipeline().HandleAsync(Message(body), CancellationToken.None);

        Assert.Equal(HandleOutcome.Poison, result.Outcome);
        Assert.Contains(reason, result.Reason);
        Assert.Empty(_transactions.Begun);
        Assert.Equal(0, Calls.Count);
    }

    [Fact]
    public async Task A_message_without_id_is_poison_it_could_not_be_de_duplicated()
    {
        var result = await Pipeline().HandleAsync(Message(Valid(), messageId: ""), CancellationToken.None);

        Assert.Equal(HandleOutcome.Poison, result.Outcome);
        Assert.Empty(_transactions.Begun);
    }

    [Fact]
    public async Task A_handler_that_throws_is_retried_and_its_work_rolled_back()
    {
        var result = await Pipeline().HandleAsync(Message(Valid("throw")), CancellationToken.None);

        Assert.Equal(HandleOutcome.Retry, result.Outcome);
        Assert.StartsWith("InvalidOperationException: handler failed", result.Reason);
        Assert.Equal(1, _transactions.RolledBack);
    }

    [Fact]
    public async Task A_failure_while_stopping_requeues_the_message()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        var result = await Pipeline().HandleAsync(Message(Valid("throw")), stopping.Token);

        Assert.Equal(HandleOutcome.Requeue, result.Outcome);
        Assert.Equal(0, _transactions.Committed);
    }

    [Fact]
    public async Task A_database_that_fails_to_begin_is_a_retry()
    {
        _transactions.FailToBegin = true;

        var result = await Pipeline().HandleAsync(Message(Valid()), CancellationToken.None);

        Assert.Equal(HandleOutcome.Retry, result.Outcome);
        Assert.Contains("connection refused", result.Reason);
        Assert.Equal(0, Calls.Count);
    }

    [Fact]
    public async Task Each_delivery_gets_its_own_handler_scope()
    {
        var pipeline = Pipeline();

        await pipeline.HandleAsync(Message(Valid(), "m-1"), CancellationToken.None);
        await pipeline.HandleAsync(Message(Valid(), "m-2"), CancellationToken.None);

        Assert.Equal(2, Calls.Handlers.Distinct().Count());
    }

    public sealed record TestEvent(Guid OrderId, string? Outcome) : IConsumedEvent<TestEvent>
    {
        public static string? Validate(TestEvent message) => message.OrderId == Guid.Empty ? "orderId is missing" : null;
    }

    public sealed class HandlerCalls
    {
        public List<RecordingHandler> Handlers { get; } = [];

        public int Count => Handlers.Count;
    }

    public sealed class RecordingHandler(HandlerCalls calls) : IEventHandler<TestEvent>
    {
        public Task<HandleResult> HandleAsync(TestEvent message, MessageContext context, CancellationToken stoppingToken)
        {
            calls.Handlers.Add(this);
            if (message.Outcome is "write" or "write-then-retry")
            {
                context.WriteOnCommit(new NpgsqlBatchCommand("UPDATE t SET n = n + 1"));
            }
            return message.Outcome switch
            {
                "retry" or "write-then-retry" => Task.FromResult(HandleResult.Retry("try again")),
                "defer" => Task.FromResult(HandleResult.Defer("not now")),
                "poison" => Task.FromResult(HandleResult.Poison("never")),
                "throw" => throw new InvalidOperationException("handler failed"),
                _ => Task.FromResult(HandleResult.Done),
            };
        }
    }

    /// <summary>
    /// Deliveries as the pipeline sees them: a duplicate's record fails at the commit (where a
    /// handler that runs no batch of its own first meets it), as Postgres's primary key would.
    /// </summary>
    private sealed class FakeTransactions : IDeliveryTransactions
    {
        public HashSet<string> AlreadyProcessed { get; } = [];

        public List<string> Begun { get; } = [];

        public List<string> WrittenOnCommit { get; } = [];

        public bool FailToBegin { get; set; }

        public Exception? CommitFailure { get; set; }

        public int Committed { get; set; }

        public int RolledBack { get; set; }

        public Task<IDeliveryTransaction> BeginAsync(string consumer, string messageId, CancellationToken cancellationToken)
        {
            if (FailToBegin)
            {
                throw new NpgsqlException("connection refused");
            }
            Begun.Add($"{consumer}/{messageId}");
            return Task.FromResult<IDeliveryTransaction>(new Delivery(this, AlreadyProcessed.Contains(messageId)));
        }

        private sealed class Delivery(FakeTransactions owner, bool duplicate) : IDeliveryTransaction
        {
            private readonly List<NpgsqlBatchCommand> _onCommit = [];
            private bool _committed;

            public NpgsqlBatch CreateBatch() => throw new NotSupportedException("no database here");

            public void WriteOnCommit(NpgsqlBatchCommand command) => _onCommit.Add(command);

            public Task CommitAsync()
            {
                if (duplicate)
                {
                    throw Violation("processed_messages_pkey");
                }
                if (owner.CommitFailure is { } failure)
                {
                    throw failure;
                }
                owner.WrittenOnCommit.AddRange(_onCommit.Select(c => c.CommandText));
                _committed = true;
                owner.Committed++;
                return Task.CompletedTask;
            }

            public ValueTask DisposeAsync()
            {
                if (!_committed)
                {
                    owner.RolledBack++;
                }
                return ValueTask.CompletedTask;
            }
        }
    }
}
