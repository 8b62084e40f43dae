using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Testing;

/// <summary>
/// What the tests read from the dev mail server (smtp4dev's REST API on the <c>mail</c> resource's
/// http endpoint): the mails it received, their headers and bodies.
/// </summary>
public sealed class MailServerClient(HttpClient http) : IDisposable
{
    // The API pages its list (5 by default); one large page is one request for the whole inbox.
    private const int PageSize = 5_000;

    // A poll for new mail pages newest first in pages this size, back to StoreSkew before the newest mail it had seen.
    private const int RecentPageSize = 200;

    // Mails store out of order by this much at most (several SMTP connections deliver at once; a
    // busy machine delays a commit): a poll pages back this far before the newest mail it knew.
    private static readonly TimeSpan StoreSkew = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A received mail never changes: its details are fetched once.
    private readonly ConcurrentDictionary<Guid, ReceivedMail> _details = new();

    // Every mail a poll has listed, and the newest one's time.
    private readonly ConcurrentDictionary<Guid, MailSummary> _seen = new();
    private readonly SemaphoreSlim _polling = new(1, 1);
    private DateTimeOffset _newestSeen = DateTimeOffset.MinValue;

    /// <summary>Mails whose recipients include <paramref name="recipient"/>, newest first.</summary>
    public async Task<IReadOnlyList<MailSummary>> ListAsync(string? recipient = null, CancellationToken cancellationToken = default)
    {
        var result = new List<MailSummary>();
        for (var page = 1; ; page++)
        {
            // The whole inbox, filtered here: smtp4dev's searchTerms scans every mail's text and
            // cost it four times the CPU of the plain list (0.75 s against 0.17 s at 3,000 mails),
            // which a test polling for its mails pays again on every poll.
            var list = await PageAsync(page, PageSize, cancellationToken);
            result.AddRange(list.Results.Where(m => IsFor(m, recipient)));
            if (page >= list.PageCount)
            {
                return result;
            }
        }
    }

    /// <summary>
    /// For polls while mail arrives: the mails seen by this client's earlier polls plus what
    /// arrived since, listing only the newest pages. The whole list of 5,000 mails cost smtp4dev
    /// 0.78 CPU-s and a page of 200 0.09 s, and a test waiting for a thousand mails polls every
    /// 2 s. A mail deleted since it was seen is still counted: take the final figures from
    /// <see cref="ListAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<MailSummary>> ListSeenAndNewAsync(string? recipient = null, CancellationToken cancellationToken = default)
    {
        await _polling.WaitAsync(cancellationToken);
        try
        {
            var backTo = _newestSeen == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : _newestSeen - StoreSkew;
            var newest = _newestSeen;
            for (var page = 1; ; page++)
            {
                var list = await PageAsync(page, RecentPageSize, cancellationToken);
                foreach (var mail in list.Results)
                {
                    _seen.TryAdd(mail.Id, mail);
                    newest = mail.ReceivedDate > newest ? mail.ReceivedDate : newest;
                }
                // Newest first, so mail arriving meanwhile pushes rows to later pages: some are
                // listed twice (the dictionary folds them), none skipped.
                if (page >= list.PageCount || list.Results.Count == 0 || list.Results[^1].ReceivedDate < backTo)
                {
                    break;
                }
            }
            _newestSeen = newest;
        }
        finally
        {
            _polling.Release();
        }
        return _seen.Values
            .Where(m => IsFor(m, recipient))
            .OrderByDescending(m => m.ReceivedDate)
            .ToList();
    }

    /// <summary>One page of the inbox, newest first (the API's order).</summary>
    private async Task<MailPage> PageAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = $"/api/messages?page={page}&pageSize={pageSize}";
        return await http.GetFromJsonAsync<MailPage>(query, Json, cancellationToken)
            ?? throw new InvalidOperationException($"{query} answered nothing.");
    }

    private static bool IsFor(MailSummary mail, string? recipient) =>
        recipient is null || mail.To.Contains(recipient, StringComparer.OrdinalIgnoreCase);

    /// <summary>One mail with its header fields.</summary>
    public async Task<ReceivedMail> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (_details.TryGetValue(id, out var known))
        {
            return known;
        }
        var mail = await http.GetFromJsonAsync<ReceivedMail>($"/api/messages/{id}", Json, cancellationToken)
            ?? throw new InvalidOperationException($"Mail {id} answered nothing.");
        return _details.GetOrAdd(id, mail);
    }

    /// <summary>The mails' details, a few requests at a time.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> GetAllAsync(IEnumerable<MailSummary> mails, CancellationToken cancellationToken = default)
    {
        var result = new ConcurrentBag<ReceivedMail>();
        await Parallel.ForEachAsync(mails, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (mail, ct) => result.Add(await GetAsync(mail.Id, ct)));
        return [.. result];
    }

    /// <summary>The text/plain body, as the server decoded it from the MIME parts.</summary>
    public Task<string> PlainTextAsync(Guid id, CancellationToken cancellationToken = default) =>
        http.GetStringAsync($"/api/messages/{id}/plaintext", cancellationToken);

    /// <summary>The message as it arrived over SMTP (RFC 5322 source).</summary>
    public Task<string> RawAsync(Guid id, CancellationToken cancellationToken = default) =>
        http.GetStringAsync($"/api/messages/{id}/raw", cancellationToken);

    public void Dispose()
    {
        http.Dispose();
        _polling.Dispose();
    }

    private sealed record MailPage(IReadOnlyList<MailSummary> Results, int PageCount);
}

/// <summary>A list entry: sender and recipients (bare addresses) and the subject.</summary>
public sealed record MailSummary(Guid Id, string From, IReadOnlyList<string> To, DateTimeOffset ReceivedDate, string Subject);

/// <summary>A mail's details: the header fields as sent, in order.</summary>
public sealed record ReceivedMail(Guid Id, string From, IReadOnlyList<string> To, DateTimeOffset ReceivedDate, string Subject, IReadOnlyList<MailHeader> Headers)
{
    /// <summary>The first field of that name (case-insensitive, as in RFC 5322), or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>Message-ID without its angle brackets.</summary>
    public string? MessageId => Header("Message-ID")?.Trim().Trim('<', '>');
}

public sealed record MailHeader(string Name, string Value);
