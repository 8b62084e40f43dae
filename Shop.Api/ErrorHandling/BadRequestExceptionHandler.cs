using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.ErrorHandling;

/// <summary>
/// Turns request binding failures into problems a client can act on: which field of the JSON
/// was wrong, that the body was missing, too large or not JSON.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var problem = badRequest.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => RequestBodyLimit.TooLarge(),
            StatusCodes.Status415UnsupportedMediaType => new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type",
                Detail = "Send the body as application/json.",
            },
            _ when FindJsonException(badRequest) is { } json => Validation(FieldName(json.Path), Describe(json)),
            _ when badRequest.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
                || badRequest.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase)
                => Validation("body", "A JSON body is required."),
            // 'Failed to bind parameter "int? minutes" from "abc".': name the parameter, do not echo the value.
            _ when BindingFailure().Match(badRequest.Message) is { Success: true } binding
                => Validation(binding.Groups["name"].Value, "The value is not valid for this parameter."),
            _ => new ProblemDetails { Status = badRequest.StatusCode, Title = "Bad request", Detail = badRequest.Message },
        };

        context.Response.StatusCode = problem.Status ?? badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static HttpValidationProblemDetails Validation(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
        };

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    /// <summary>"$.lines[2].quantity" becomes "lines[2].quantity"; the root ("$") is the body.</summary>
    internal static string FieldName(string? jsonPath) => jsonPath switch
    {
        null or "" or "$" => "body",
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ when jsonPath.StartsWith('$') => jsonPath[1..],
        _ => jsonPath,
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"^Failed to bind parameter ""[^""]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)"" from ")]
    private static partial System.Text.RegularExpressions.Regex BindingFailure();

    // System.Text.Json's message names CLR types; the client only needs to know what to fix.
    // Text that is not Unicode (invalid UTF-8, a \uD800 escape with no partner) fails while
    // the string is read, with an InvalidOperationException inside the JsonException.
    private static string Describe(JsonException json) =>
        json.InnerException is InvalidOperationException notText && (notText.Message.Contains("UTF", StringComparison.Ordinal) || notText.Message.Contains("surrogate", StringComparison.Ordinal))
            ? "The text is not valid Unicode (invalid UTF-8 or an unpaired surrogate)."
            : json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? "The value has the wrong type or is out of range."
            : "The body is not valid JSON at this point.";
}
