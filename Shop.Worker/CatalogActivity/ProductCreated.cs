using System.Text.Json;

namespace Shop.Worker.CatalogActivity;

/// <summary>
/// The worker's own copy of the API's ProductCreated event contract (camelCase JSON). Kept
/// separate on purpose: a consumer reads only the fields it needs, so the API may add fields.
/// </summary>
public sealed record ProductCreated
{
    public const string RoutingKey = "catalog.product-created";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public required Guid EventId { get; init; }
    public required Guid ProductId { get; init; }
    public required string Name { get; init; }

    /// <summary>Null, with the reason, when the body is not a usable ProductCreated.</summary>
    public static ProductCreated? TryParse(ReadOnlyMemory<byte> body, out string? problem)
    {
        try
        {
            var message = JsonSerializer.Deserialize<ProductCreated>(body.Span, JsonOptions);
            problem = message switch
            {
                null => "body is JSON null",
                { EventId: var id } when id == Guid.Empty => "eventId is empty",
                { ProductId: var id } when id == Guid.Empty => "productId is empty",
                { Name: var name } when string.IsNullOrWhiteSpace(name) => "name is empty",
                _ => null,
            };
            return problem is null ? message : null;
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return null;
        }
    }
}
