namespace Shop.Api.CatalogActivity;

/// <summary>One recorded catalog event. RecordedAt is UTC.</summary>
public sealed record CatalogActivityDto(
    Guid EventId,
    Guid ProductId,
    string ProductName,
    DateTime RecordedAt,
    string ProcessedBy);
