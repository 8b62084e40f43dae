namespace Shop.Api.ErrorHandling;

public static class ProblemResponseExtensions
{
    /// <summary>
    /// Every error response is an RFC 9457 ProblemDetails document, and nothing a client sends
    /// (bad JSON, wrong types, no body, a huge body, another content type) becomes a 500.
    /// </summary>
    public static IHostApplicationBuilder AddProblemResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyOutageExceptionHandler>();

        // Binding failures throw BadHttpRequestException in every environment (by default only in
        // Development), so BadRequestExceptionHandler can name the field in the problem.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes);

        // Strings clients stored (names, descriptions) come back with <, >, &, ' escaped as
        // \u003C... in JSON: still the same strings to any JSON reader, but never markup to a
        // browser or a careless HTML template that sniffs or embeds the response.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default);
        return builder;
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A malformed body is the client's mistake: its status (400, 413, 415) is kept.
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException badRequest => badRequest.StatusCode,
                _ when DependencyOutage.Is(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            // A bad request is not a server fault, an outage is logged once as a warning: no
            // "unhandled exception" error log for either.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || DependencyOutage.Is(context.Exception),
        });

        // 404/405 and results without a body (NotFound(), 415 from body binding) get a
        // ProblemDetails body too.
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        // Query strings, route values and forms with text no endpoint could store: 400 naming the field.
        app.UseClientTextGuard();
        return app;
    }
}
