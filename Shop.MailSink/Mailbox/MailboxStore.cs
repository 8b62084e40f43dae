namespace Shop.MailSink.Mailbox;

/// <summary>
/// Every mail received since the sink started, newest last. In memory on purpose: a development
/// sink is for looking at what the app sent, and a restart gives a clean inbox.
/// </summary>
public sealed class MailboxStore
{
    private const int Capacity = 100_000;
    private readonly Lock _gate = new();
    private readonly List<ReceivedMail> _mails = [];
    private long _nextId;

    public ReceivedMail Add(string envelopeFrom, IReadOnlyList<string> envelopeTo, string rawMessage)
    {
        var (headers, body) = MailParser.Split(rawMessage);
        lock (_gate)
        {
            var mail = new ReceivedMail(++_nextId, DateTimeOffset.UtcNow, envelopeFrom, envelopeTo,
                headers.GetValueOrDefault("subject"), headers.GetValueOrDefault("message-id"),
                headers.GetValueOrDefault("from"), headers.GetValueOrDefault("to"), body, rawMessage.Length);
            if (_mails.Count == Capacity)
            {
                _mails.RemoveAt(0);
            }
            _mails.Add(mail);
            return mail;
        }
    }

    public IReadOnlyList<ReceivedMail> List(string? to = null, int? limit = null)
    {
        lock (_gate)
        {
            IEnumerable<ReceivedMail> query = _mails;
            if (!string.IsNullOrEmpty(to))
            {
                query = query.Where(m => m.EnvelopeTo.Any(r => r.Equals(to, StringComparison.OrdinalIgnoreCase)));
            }
            query = query.Reverse();
            return (limit is > 0 ? query.Take(limit.Value) : query).ToArray();
        }
    }

    public MailboxStats Stats()
    {
        lock (_gate)
        {
            var withId = _mails.Where(m => m.MessageId is not null).ToArray();
            var distinct = withId.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count();
            return new MailboxStats(_mails.Count, distinct, withId.Length - distinct);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _mails.Clear();
        }
    }
}

/// <summary>Duplicates = mails whose Message-ID was received before (the same mail sent twice).</summary>
public sealed record MailboxStats(int Received, int DistinctMessageIds, int Duplicates);
