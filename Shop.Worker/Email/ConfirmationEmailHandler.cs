using System.Diagnostics;
using System.Globalization;
using MimeKit;
using Shop.Worker.Orders;

namespace Shop.Worker.Email;

/// <summary>
/// orders.paid → the order confirmation mail. The order_emails row is written in the delivery's
/// transaction, which commits only after the SMTP server accepted the mail: a failed send leaves
/// nothing and is retried. The one gap no SMTP client can close: a crash between the server's
/// "250 OK" and the commit sends the mail again on redelivery. Its Message-ID is fixed per order,
/// so such a duplicate is recognisable (mail clients fold it).
/// </summary>
public sealed class ConfirmationEmailHandler(SmtpMailer mailer) : IEventHandler<OrderPaid>
{
    public const string Consumer = "email";
    private const string Sender = "orders@shopaspire.local";

    // One round trip (with the delivery's BEGIN and processed record): the recipient, and the
    // order_emails row that makes this mail the only one. The commit follows the send.
    private const string RecipientSql = """
        SELECT u.email, u.display_name FROM orders o JOIN users u ON u.id = o.customer_id WHERE o.id = $1
        """;
    private const string RecordSql = """
        INSERT INTO order_emails (order_id, kind, recipient, message_id)
        SELECT o.id, 'order-confirmation', u.email, $2 FROM orders o JOIN users u ON u.id = o.customer_id WHERE o.id = $1
        ON CONFLICT (order_id) DO NOTHING
        """;

    public static string MessageIdFor(Guid orderId) => $"order-{orderId:N}.confirmation@shopaspire.local";

    public async Task<HandleResult> HandleAsync(OrderPaid paid, MessageContext context, CancellationToken stoppingToken)
    {
        Activity.Current?.SetTag("shop.order.id", paid.OrderId.ToString());
        var messageId = MessageIdFor(paid.OrderId);
        await using var batch = context.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(RecipientSql) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = paid.OrderId } } });
        var record = new NpgsqlBatchCommand(RecordSql)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = paid.OrderId }, new NpgsqlParameter<string> { TypedValue = messageId } },
        };
        batch.BatchCommands.Add(record);
        string? email = null, displayName = null;
        await using (var reader = await batch.ExecuteReaderAsync(stoppingToken))
        {
            if (await reader.ReadAsync(stoppingToken))
            {
                email = reader.GetString(0);
                displayName = reader.GetString(1);
            }
        }
        if (email is null || displayName is null)
        {
            return HandleResult.Poison($"order {paid.OrderId} or its customer does not exist");
        }
        if (record.RecordsAffected == 1)
        {
            try
            {
                await mailer.SendAsync(Compose(paid, email, displayName, messageId), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                return HandleResult.Retry($"SMTP send failed: {ex.Message}");
            }
        }
        return HandleResult.Done; // the pipeline commits, even if we are stopping now: the mail is out
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
