using System.Globalization;

namespace Shop.Web.Catalog;

/// <summary>One entry of the API's catalog activity (recorded by Shop.Worker). RecordedAt is UTC.</summary>
public sealed record ActivityEntry(Guid EventId, Guid ProductId, string ProductName, DateTime RecordedAt, string ProcessedBy)
{
    public string DisplayRecordedAt => RecordedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
