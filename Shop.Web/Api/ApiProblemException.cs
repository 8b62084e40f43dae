using System.Net;

namespace Shop.Web.Api;

/// <summary>
/// Shop.Api refused the request with a 4xx ProblemDetails (bad input, conflict, not found...).
/// <see cref="Errors"/> holds the validation messages keyed by the API's camelCase field name.
/// </summary>
public sealed class ApiProblemException(HttpStatusCode status, string? title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail ?? title ?? $"The API answered {(int)status}.")
{
    public HttpStatusCode Status { get; } = status;

    public string? Title { get; } = title;

    public string? Detail { get; } = detail;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>Every message in one list: the field errors, else the detail or title.</summary>
    public IReadOnlyList<string> Messages =>
        Errors.Count > 0 ? Errors.SelectMany(e => e.Value).ToArray() : [Detail ?? Title ?? Message];
}
