namespace Shop.MailSink.Mailbox;

/// <summary>One mail as received: envelope, the headers people look at, and the raw message.</summary>
public sealed record ReceivedMail(
    long Id,
    DateTimeOffset ReceivedAt,
    string EnvelopeFrom,
    IReadOnlyList<string> EnvelopeTo,
    string? Subject,
    string? MessageId,
    string? From,
    string? To,
    string Body,
    int Size);
