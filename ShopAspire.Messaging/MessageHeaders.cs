using System.Text;

namespace ShopAspire.Messaging;

/// <summary>The shop's own AMQP headers (set when a consumer moves a message to its retry or dead-letter queue) and how to read them.</summary>
public static class MessageHeaders
{
    public const string Attempt = "x-shop-attempt";
    public const string LastError = "x-shop-last-error";
    public const string DeadLetterReason = "x-shop-dead-letter-reason";
    public const string DeadLetteredAt = "x-shop-dead-lettered-at";
    public const string Consumer = "x-shop-consumer";
    public const string OriginalRoutingKey = "x-shop-original-routing-key";

    /// <summary>A header as text: AMQP delivers string headers as UTF-8 byte arrays.</summary>
    public static string? GetString(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                null => null,
                _ => value.ToString(),
            }
            : null;

    public static int GetInt(IDictionary<string, object?>? headers, string name, int fallback) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                int i => i,
                long l => (int)l,
                byte[] bytes when int.TryParse(Encoding.UTF8.GetString(bytes), out var parsed) => parsed,
                _ => fallback,
            }
            : fallback;
}
