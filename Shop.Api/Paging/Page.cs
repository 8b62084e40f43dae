namespace Shop.Api.Paging;

/// <summary>
/// One page of a keyset-paginated list (the catalog, a customer's orders): pass
/// <see cref="NextCursor"/> back as <c>cursor</c> for the next page; null on the last one.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
