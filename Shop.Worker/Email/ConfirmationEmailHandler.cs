using System.Diagnostics;
using System.Globalization;
using Dapper;
using MimeKit;
using Shop.Worker.Orders;

namespace Shop.Worker.Email;

/// <summary>
/// orders.paid → the order confirmation mail. The idempotency record and the order_emails row
/// are written in a transaction that commits only after the SMTP server accepted the mail: a
/// failed send leaves nothing and is retried. The one gap no SMTP client can close: a crash
/// between the server's "250 OK" and our commit sends the mail again on redelivery. Its
/// Message-ID is fixed per order, so such a duplicate is recognisable (mail clients fold it).
/// </summary>
public sealed class ConfirmationEmailHandler(NpgsqlDataSource dataSource, SmtpMailer mailer) : IMessageHandler
{
    public const string Consumer = "email";
    private const string Sender = "orders@shopaspire.local";

    public static string MessageIdFor(Guid orderId) => $"order-{orderId:N}.confirmation@shopaspire.local";

    public async Task<HandleResult> HandleAsync(IncomingMessage message, CancellationToken stoppingToken)
    {
        var paid = OrderEvents.TryParse<OrderPaid>(message.Body, OrderPaid.Validate, out var problem);
        if (paid is null)
        {
            return HandleResult.Poison(problem!);
        }
        Activity.Current?.SetTag("shop.order.id", paid.OrderId.ToString());
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        await using var transaction = await connection.BeginTransactionAsync(stoppingToken);
        if (!await ProcessedMessages.TryRecordAsync(connection, transaction, Consumer, message.MessageId, stoppingToken))
        {
            return HandleResult.Done;
        }
        var customer = await connection.QuerySingleOrDefaultAsync<(string Email, string DisplayName)>(new CommandDefinition(
            "SELECT u.email, u.display_name FROM orders o JOIN users u ON u.id = o.customer_id WHERE o.id = @OrderId",
            new { paid.OrderId }, transaction, cancellationToken: stoppingToken));
        if (customer.Email is null)
        {
            return HandleResult.Poison($"order {paid.OrderId} or its customer does not exist");
        }
        var messageId = MessageIdFor(paid.OrderId);
        var firstMail = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO order_emails (order_id, kind, recipient, message_id) VALUES (@OrderId, 'order-confirmation', @Email, @messageId)
            ON CONFLICT (order_id) DO NOTHING
            """, new { paid.OrderId, customer.Email, messageId }, transaction, cancellationToken: stoppingToken)) == 1;
        if (firstMail)
        {
            try
            {
                await mailer.SendAsync(Compose(paid, customer.Email, customer.DisplayName, messageId), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                return HandleResult.Retry($"SMTP send failed: {ex.Message}");
            }
        }
        // The mail is out: record it even if we are stopping right now.
        await transaction.CommitAsync(CancellationToken.None);
        return HandleResult.Done;
    }

    private static MimeMessage Compose(OrderPaid paid, string email, string displayName, string messageId)
    {
        var total = paid.Total.ToString("0.00", CultureInfo.InvariantCulture);
        var mail = new MimeMessage
        {
            MessageId = messageId,
            Subject = $"Your ShopAspire order {paid.OrderId} is confirmed",
            Body = new TextPart("plain")
            {
                Text = $"""
                    Hello {displayName},

                    thank you for your order {paid.OrderId}. We received your payment of {total} {paid.Currency} (charge {paid.ChargeId}).

                    ShopAspire
                    """,
            },
        };
        mail.From.Add(new MailboxAddress("ShopAspire", Sender));
        mail.To.Add(new MailboxAddress(displayName, email));
        return mail;
    }
}
