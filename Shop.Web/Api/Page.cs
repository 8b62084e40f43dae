namespace Shop.Web.Api;

/// <summary>One keyset page of the API: pass <see cref="NextCursor"/> back as <c>cursor</c> for the next.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
