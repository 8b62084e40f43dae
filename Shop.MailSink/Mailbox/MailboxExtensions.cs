using System.Net;
using System.Text;

namespace Shop.MailSink.Mailbox;

public static class MailboxExtensions
{
    public static IHostApplicationBuilder AddMailbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MailboxStore>();
        return builder;
    }

    /// <summary>"/" is the inbox a developer opens in a browser; /api/messages is what tests read.</summary>
    public static WebApplication MapMailboxPages(this WebApplication app)
    {
        app.MapGet("/", (MailboxStore mailbox) => TypedResults.Content(InboxPage(mailbox.List(limit: 200), mailbox.Stats()), "text/html; charset=utf-8"));
        app.MapGet("/api/messages", (MailboxStore mailbox, string? to, int? limit) => TypedResults.Ok(mailbox.List(to, limit)));
        app.MapGet("/api/messages/stats", (MailboxStore mailbox) => TypedResults.Ok(mailbox.Stats()));
        app.MapDelete("/api/messages", (MailboxStore mailbox) =>
        {
            mailbox.Clear();
            return TypedResults.NoContent();
        });
        return app;
    }

    private static string InboxPage(IReadOnlyList<ReceivedMail> mails, MailboxStats stats)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"5\">")
            .Append("<title>MailSink inbox</title><style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;text-align:left;vertical-align:top}")
            .Append("tr:nth-child(even){background:#f4f4f4}pre{white-space:pre-wrap;margin:0;max-width:60em}</style></head><body>")
            .Append($"<h1>MailSink inbox</h1><p>{stats.Received} received, {stats.Duplicates} duplicate Message-IDs. Newest first; refreshes every 5 s.</p>")
            .Append("<table><tr><th>#</th><th>Received</th><th>From</th><th>To</th><th>Subject</th><th>Body</th></tr>");
        foreach (var mail in mails)
        {
            html.Append($"<tr><td>{mail.Id}</td><td>{mail.ReceivedAt:u}</td><td>{E(mail.From ?? mail.EnvelopeFrom)}</td>")
                .Append($"<td>{E(mail.To ?? string.Join(", ", mail.EnvelopeTo))}</td><td>{E(mail.Subject)}</td>")
                .Append($"<td><details><summary>show</summary><pre>{E(mail.Body)}</pre></details></td></tr>");
        }
        return html.Append("</table></body></html>").ToString();
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
