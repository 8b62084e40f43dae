using System.Diagnostics;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Shop.Worker.Orders;

namespace Shop.Worker.Payments;

/// <summary>
/// orders.placed → charge the order at the provider → paid, or payment_failed with the stock
/// released. Provider trouble (breaker open, retries exhausted) defers the message: the order
/// stays pending and the customer sees "payment pending", never an error. The delivery's
/// transaction is open during the charge: a second delivery of the same message waits for it on
/// the processed-message record instead of charging alongside (the provider's idempotency key,
/// the order id, covers a crash between the charge and the commit).
/// </summary>
public sealed partial class PaymentHandler(
    OrderPaymentStore store,
    IHttpClientFactory httpClients,
    PaymentMetrics metrics,
    ILogger<PaymentHandler> logger) : IEventHandler<OrderPlaced>
{
    public const string Consumer = "payments";

    public async Task<HandleResult> HandleAsync(OrderPlaced placed, MessageContext context, CancellationToken stoppingToken)
    {
        Activity.Current?.SetTag("shop.order.id", placed.OrderId.ToString());
        var order = await store.FindAsync(context, placed.OrderId, stoppingToken);
        if (order is null)
        {
            return HandleResult.Poison($"order {placed.OrderId} does not exist");
        }
        if (order.Status != "pending")
        {
            return HandleResult.Done;
        }

        ChargeOutcome outcome;
        try
        {
            // Charged for what the order says, not what the message says: the order is the truth.
            // A client per message: the factory rotates handlers; the pipeline (and its breaker) is shared.
            var provider = new PaymentProviderClient(httpClients.CreateClient(nameof(PaymentProviderClient)));
            outcome = await provider.ChargeAsync(order.Id, order.Total, order.Currency, stoppingToken);
        }
        catch (BrokenCircuitException)
        {
            metrics.Outcome("deferred");
            return HandleResult.Defer("payment provider circuit is open");
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or HttpRequestException or PaymentProviderUnavailableException && !stoppingToken.IsCancellationRequested)
        {
            metrics.Outcome("deferred");
            return HandleResult.Defer($"payment provider unavailable: {ex.Message}");
        }
        catch (PaymentRejectedException ex)
        {
            return HandleResult.Poison(ex.Message);
        }

        // The charge happened: its outcome is written with the commit, whatever the stopping token says.
        switch (outcome)
        {
            case ChargeOutcome.Succeeded(var chargeId):
                store.MarkPaid(context, order, chargeId);
                metrics.Paid(order.Total, order.Currency);
                LogPaid(order.Id, chargeId);
                break;
            case ChargeOutcome.Declined(var reason):
                store.MarkPaymentFailed(context, order, reason);
                metrics.Outcome("declined");
                LogDeclined(order.Id, reason);
                break;
        }
        return HandleResult.Done;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} paid (charge {ChargeId}).")]
    private partial void LogPaid(Guid orderId, string chargeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} payment declined: {Reason}; stock released.")]
    private partial void LogDeclined(Guid orderId, string reason);
}
