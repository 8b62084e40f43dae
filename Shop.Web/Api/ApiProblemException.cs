using System.Net;

namespace Shop.Web.Api;

/// <summary>
/// Shop.Api refused the request with a 4xx ProblemDetails (bad input, conflict, not found...).
/// <see cref="Errors"/> holds the validation messages keyed by the API's camelCase field name;
/// <see cref="Type"/> tells conflicts apart (<see cref="ShopProblemTypes"/>), never the wording.
/// </summary>
public sealed class ApiProblemException(HttpStatusCode status, string? type, string? title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail ?? title ?? $"The API answered {(int)status}.")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem's type URI, e.g. <see cref="ShopProblemTypes.OutOfStock"/>; null when the API sent none.</summary>
    public string? Type { get; } = type;

    public bool Is(string problemType) => string.Equals(Type, problemType, StringComparison.Ordinal);

    public string? Title { get; } = title;

    public string? Detail { get; } = detail;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>Every message in one list: the field errors, else the detail or title.</summary>
    public IReadOnlyList<string> Messages =>
        Errors.Count > 0 ? Errors.SelectMany(e => e.Value).ToArray() : [Detail ?? Title ?? Message];
}
