namespace Shop.Web.Api;

/// <summary>The parts of an RFC 9457 problem the storefront shows.</summary>
internal sealed record ProblemBody(string? Type, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
