using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ShopAspire.ClientInput;

/// <summary>
/// Refuses, with a 400 validation problem naming the field, any request whose query string,
/// route values or form (urlencoded or multipart, checked on the raw bytes) carries text <see cref="ClientText"/> does not
/// accept: invalid UTF-8, U+0000 and other control characters (forms may hold tab and line
/// breaks, as textareas do), unpaired surrogates, values over a generous length limit. Field
/// limits (a name's 200 characters) stay with each field's validator; this is the floor every
/// endpoint gets, so no handler, page or SQL parameter ever sees such text.
/// </summary>
public sealed class ClientTextGuard(RequestDelegate next)
{
    /// <summary>Longest query or route value any endpoint takes (search text, cursors and slugs are far shorter).</summary>
    public const int MaxQueryValueLength = 2_000;

    /// <summary>Longest form value (the admin's product description is 4,000).</summary>
    public const int MaxFormValueLength = 16_000;

    /// <summary>Form bodies are small; a bigger one is read no further (413).</summary>
    public const int MaxFormBodyBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var problem = QueryProblem(context.Request) ?? RouteProblem(context.Request);
        if (problem is null && context.Request.HasFormContentType)
        {
            if (context.Request.ContentLength > MaxFormBodyBytes)
            {
                await TooLargeAsync(context);
                return;
            }
            var (formProblem, tooLarge) = await FormProblemAsync(context);
            if (tooLarge)
            {
                await TooLargeAsync(context);
                return;
            }
            problem = formProblem;
        }

        if (problem is { } found)
        {
            await TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [found.Field] = [found.Problem] },
                title: "One or more validation errors occurred.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static (string Field, string Problem)? QueryProblem(HttpRequest request) =>
        request.QueryString.HasValue
            ? ClientText.FindUrlEncodedProblem(request.QueryString.Value!, TextShape.SingleLine, MaxQueryValueLength)
            : null;

    private static (string Field, string Problem)? RouteProblem(HttpRequest request)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && ClientText.Problem(text, name, MaxQueryValueLength) is { } problem)
            {
                return (name, problem);
            }
        }
        return null;
    }

    private static async Task<((string Field, string Problem)? Problem, bool TooLarge)> FormProblemAsync(HttpContext context)
    {
        var request = context.Request;

        if (request.ContentType is { } type && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            // Checked on the raw bytes: ASP.NET Core's form reader throws on %00 (a 500) and
            // keeps invalid escapes such as %FF as text. The body stays readable for the endpoint.
            request.EnableBuffering(MaxFormBodyBytes);
            var body = await ReadAtMostAsync(request.Body, MaxFormBodyBytes + 1, context.RequestAborted);
            request.Body.Position = 0;
            return body.Length > MaxFormBodyBytes
                ? (null, true)
                : (ClientText.FindUrlEncodedProblem(body, TextShape.MultiLine, MaxFormValueLength), false);
        }

        // Multipart: each text part's raw bytes (the framework would turn invalid UTF-8 into U+FFFD).
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return (("body", "The form's content type names no multipart boundary."), false);
        }
        request.EnableBuffering(MaxFormBodyBytes);
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = MaxFormBodyBytes };
            for (var section = await reader.ReadNextSectionAsync(context.RequestAborted); section is not null; section = await reader.ReadNextSectionAsync(context.RequestAborted))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    return (("body", "A part of the form has no valid Content-Disposition."), false);
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (ClientText.Problem(name, "The field name", ClientText.MaxNameLength) is not null)
                {
                    return ((ClientText.Printable(name), "The field name is not acceptable text (a control character, an unpaired surrogate or too long)."), false);
                }
                if (disposition.IsFileDisposition())
                {
                    continue; // no endpoint of the shop takes files; the part is not text
                }
                var bytes = await ReadAtMostAsync(section.Body, MaxFormValueLength * 4 + 1, context.RequestAborted);
                if (!Utf8.IsValid(bytes))
                {
                    return ((name, $"{name} is not valid UTF-8."), false);
                }
                if (ClientText.Problem(Encoding.UTF8.GetString(bytes), name, MaxFormValueLength, TextShape.MultiLine) is { } problem)
                {
                    return ((name, problem), false);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (("body", "The form could not be read: " + ex.Message), false);
        }
        finally
        {
            request.Body.Position = 0;
        }
        return (null, false);
    }

    private static Task TooLargeAsync(HttpContext context)
    {
        context.Response.Headers.Connection = "close";
        return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"A form may be at most {MaxFormBodyBytes / 1024} KB.").ExecuteAsync(context);
    }

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var collected = new MemoryStream();
            int read;
            while (collected.Length < limit && (read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - collected.Length)), cancellationToken)) > 0)
            {
                collected.Write(buffer, 0, read);
            }
            return collected.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

public static class ClientTextGuardExtensions
{
    /// <summary>
    /// Adds <see cref="ClientTextGuard"/>. Call it after the exception handler and before
    /// authentication, antiforgery and the endpoints; route values are known by then because
    /// WebApplication runs routing first.
    /// </summary>
    public static IApplicationBuilder UseClientTextGuard(this IApplicationBuilder app) => app.UseMiddleware<ClientTextGuard>();
}
