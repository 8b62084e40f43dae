extern alias ShopWorker;

using ShopWorker::Shop.Worker.Messaging.Pipeline;

namespace Shop.IntegrationTests.Messaging;

/// <summary>The consumers' outcome policy: what the broker is told for each outcome (no broker needed).</summary>
public class SettlementTests
{
    private const int MaxAttempts = 5;

    [Fact]
    public void Done_is_acked()
    {
        var settlement = Settlement.For(HandleResult.Done, attempt: 1, MaxAttempts);

        Assert.Equal(SettlementAction.Ack, settlement.Action);
        Assert.Equal(HandleOutcome.Done, settlement.Outcome);
    }

    [Fact]
    public void Stopping_puts_the_message_back_on_its_queue()
    {
        Assert.Equal(SettlementAction.Requeue, Settlement.For(HandleResult.Requeue, attempt: 3, MaxAttempts).Action);
    }

    [Fact]
    public void A_retry_goes_through_the_retry_queue_and_counts_the_attempt()
    {
        var settlement = Settlement.For(HandleResult.Retry("SMTP send failed"), attempt: 2, MaxAttempts);

        Assert.Equal(SettlementAction.RetryLater, settlement.Action);
        Assert.Equal(3, settlement.Attempt);
        Assert.Equal("SMTP send failed", settlement.Reason);
    }

    [Fact]
    public void A_deferral_waits_in_the_retry_queue_without_counting()
    {
        var settlement = Settlement.For(HandleResult.Defer("payment provider circuit is open"), attempt: MaxAttempts, MaxAttempts);

        Assert.Equal(SettlementAction.RetryLater, settlement.Action);
        Assert.Equal(HandleOutcome.Defer, settlement.Outcome);
        Assert.Equal(MaxAttempts, settlement.Attempt);
    }

    [Fact]
    public void The_last_allowed_failure_dead_letters_the_message_with_its_last_error()
    {
        var settlement = Settlement.For(HandleResult.Retry("timeout"), attempt: MaxAttempts, MaxAttempts);

        Assert.Equal(SettlementAction.DeadLetter, settlement.Action);
        Assert.Equal(HandleOutcome.Poison, settlement.Outcome);
        Assert.Equal($"failed {MaxAttempts} times; last error: timeout", settlement.Reason);
    }

    [Fact]
    public void Poison_is_dead_lettered_at_once_with_its_reason()
    {
        var settlement = Settlement.For(HandleResult.Poison("orderId is missing"), attempt: 1, MaxAttempts);

        Assert.Equal(SettlementAction.DeadLetter, settlement.Action);
        Assert.Equal(1, settlement.Attempt);
        Assert.Equal("orderId is missing", settlement.Reason);
    }
}
