namespace Shop.Api.ErrorHandling;

public static class ProblemResponseExtensions
{
    /// <summary>Every error response is an RFC 9457 ProblemDetails document.</summary>
    public static IHostApplicationBuilder AddProblemResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Malformed JSON or a wrong type in the body is the client's mistake: in Development
            // minimal APIs throw BadHttpRequestException (400) and it must not become a 500.
            StatusCodeSelector = exception => exception is BadHttpRequestException badRequest
                ? badRequest.StatusCode
                : StatusCodes.Status500InternalServerError,
            // A bad request is not a server fault: no "unhandled exception" error log for it.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });

        // Outside Development the same binding failures, and 404/405, come back with an empty
        // body; this fills it with ProblemDetails.
        app.UseStatusCodePages();
        return app;
    }
}
