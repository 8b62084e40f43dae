using Aspire.Hosting.ApplicationModel;
using Microsoft.Data.Sqlite;
using Shop.IntegrationTests.Infrastructure;
using ShopAspire.NativeServers;

namespace Shop.IntegrationTests.Stack;

/// <summary>
/// The AppHost indexes smtp4dev's inbox once it is up, so the trim smtp4dev runs after every
/// mail walks an index instead of sorting every kept mail (reading each one's body to do so).
/// </summary>
[Collection(ShopStackCollection.Name)]
public class MailInboxIndexTests(ShopStackFixture stack)
{
    // The statement EF Core writes for smtp4dev's trim (Messages of one mailbox, newest first,
    // past --messagestokeep, ExecuteDelete), as its log shows it.
    private const string TrimSql = """
        DELETE FROM "Messages" AS "m"
        WHERE "m"."Id" IN (
            SELECT "m0"."Id" FROM "Messages" AS "m0"
            WHERE "m0"."MailboxId" = @mailbox
            ORDER BY "m0"."ReceivedDate" DESC
            LIMIT -1 OFFSET @keep)
        """;

    [Fact]
    public async Task The_inbox_trim_smtp4dev_runs_after_every_mail_walks_an_index_instead_of_sorting_the_inbox()
    {
        var mail = stack.Shop.Model.Resources.Single(r => r.Name == "mail");
        Assert.True(mail.TryGetLastAnnotation<NativeDataAnnotation>(out var data));
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(data.DataPath, "smtp4dev.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString();

        var plan = await Eventually.GetAsync(async () =>
        {
            await using var db = new SqliteConnection(connectionString);
            await db.OpenAsync();
            await using var explain = db.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + TrimSql;
            explain.Parameters.AddWithValue("@mailbox", Guid.NewGuid().ToString());
            explain.Parameters.AddWithValue("@keep", 10_000);
            var steps = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                steps.Add(reader.GetString(3));
            }
            var text = string.Join(" | ", steps);
            return text.Contains("IX_Messages_MailboxId_ReceivedDate", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(30), "the trim's plan to use IX_Messages_MailboxId_ReceivedDate");

        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }
}
