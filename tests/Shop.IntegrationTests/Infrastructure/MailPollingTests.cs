using System.Net;
using System.Net.Http.Json;
using Shop.Testing;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>MailServerClient's poll for new mail against an inbox that pages newest first, as smtp4dev's API does.</summary>
public sealed class MailPollingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_poll_lists_only_the_newest_pages_and_still_finds_a_mail_stored_late_with_an_earlier_time()
    {
        var inbox = new FakeInbox();
        for (var i = 0; i < 1000; i++)
        {
            inbox.Add(T0.AddSeconds(i), "a@example.test");
        }
        using var client = new MailServerClient(new HttpClient(inbox) { BaseAddress = new Uri("http://mail.test") });

        Assert.Equal(1000, (await client.ListSeenAndNewAsync("a@example.test")).Count);
        var pagesForAll = inbox.PagesServed;

        inbox.Add(T0.AddSeconds(1000), "a@example.test");
        inbox.Add(T0.AddSeconds(995), "a@example.test"); // committed after a newer one
        inbox.Add(T0.AddSeconds(1001), "b@example.test");
        var seen = await client.ListSeenAndNewAsync("a@example.test");

        Assert.Equal(1002, seen.Count);
        Assert.Equal(seen.Count, seen.Select(m => m.Id).Distinct().Count());
        Assert.Equal(1, inbox.PagesServed - pagesForAll); // one page of 200, not the whole inbox again
    }

    [Fact]
    public async Task Mail_arriving_while_a_poll_pages_is_neither_skipped_nor_counted_twice()
    {
        var inbox = new FakeInbox();
        for (var i = 0; i < 450; i++)
        {
            inbox.Add(T0.AddSeconds(i), "a@example.test");
        }
        // Between the first and the second page, 30 more arrive and push rows down.
        inbox.BeforePage = page =>
        {
            if (page == 2)
            {
                for (var i = 0; i < 30; i++)
                {
                    inbox.Add(T0.AddSeconds(450 + i), "a@example.test");
                }
            }
        };
        using var client = new MailServerClient(new HttpClient(inbox) { BaseAddress = new Uri("http://mail.test") });

        await client.ListSeenAndNewAsync();
        inbox.BeforePage = null;
        var seen = await client.ListSeenAndNewAsync();

        Assert.Equal(480, seen.Count);
        Assert.Equal(480, seen.Select(m => m.Id).Distinct().Count());
    }

    private sealed class FakeInbox : HttpMessageHandler
    {
        private readonly List<MailSummary> _stored = [];

        public int PagesServed { get; private set; }

        public Action<int>? BeforePage { get; set; }

        public void Add(DateTimeOffset received, string to)
        {
            lock (_stored)
            {
                _stored.Add(new MailSummary(Guid.NewGuid(), "orders@shopaspire.local", [to], received, "Your order"));
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var page = int.Parse(query["page"]!, System.Globalization.CultureInfo.InvariantCulture);
            var size = int.Parse(query["pageSize"]!, System.Globalization.CultureInfo.InvariantCulture);
            BeforePage?.Invoke(page);
            PagesServed++;
            List<MailSummary> newestFirst;
            lock (_stored)
            {
                newestFirst = [.. _stored.OrderByDescending(m => m.ReceivedDate)];
            }
            var body = new
            {
                results = newestFirst.Skip((page - 1) * size).Take(size),
                pageCount = Math.Max(1, (newestFirst.Count + size - 1) / size),
            };
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(body) });
        }
    }
}
