using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Console logs for whoever reads them. On a terminal: the usual coloured, two-line entries.
/// Redirected (Aspire's DCP, a container runtime, a file, CI): one line per entry, no ANSI
/// colour codes, a UTC ISO 8601 timestamp first, so files and log collectors get plain text a
/// machine can split into entries. Aspire sets DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION
/// for its projects, which would otherwise colour redirected output too. The dashboard's
/// structured logs come over OTLP and are not affected. Settings under
/// Logging:Console:FormatterOptions still win, and Logging:Console:FormatterName=json switches
/// to JSON entries.
/// </summary>
public static class DefaultConsoleLoggingExtensions
{
    public const string RedirectedTimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    /// <summary>
    /// Client libraries that log per operation at Information. StackExchange.Redis logs every
    /// (re)connect down to the raw bytes of its ECHO handshake: random binary with control
    /// characters in it, which garbles a terminal and a log file. Npgsql logs every command
    /// executed and every wait for a notification (the outbox's LISTEN connection: one line per
    /// order on every api replica); IHttpClientFactory's handlers write four lines per outgoing
    /// request. At 100 orders a second that is most of a service's log and a measurable share of
    /// its CPU, and of the orchestrator's that carries the console lines, for what the traces
    /// already show. Their warnings and errors still show; configuration can lower the level.
    /// </summary>
    public static readonly IReadOnlyList<string> ChattyCategories = ["StackExchange.Redis", "Npgsql", "System.Net.Http.HttpClient"];

    public static TBuilder ConfigureConsoleLogging<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder =>
        builder.ConfigureConsoleLogging(Console.IsOutputRedirected);

    /// <param name="outputRedirected">Whether stdout is something other than a terminal.</param>
    public static TBuilder ConfigureConsoleLogging<TBuilder>(this TBuilder builder, bool outputRedirected)
        where TBuilder : IHostApplicationBuilder
    {
        // Without a formatter name the console logger takes the obsolete ConsoleLoggerOptions
        // path and replaces the simple formatter's options with its own (colours included):
        // name it, so Logging:Console:FormatterOptions and the defaults below apply.
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.FormatterName ??= ConsoleFormatterNames.Simple);
        // Whoever reads stdout (DCP, a container runtime) can stall; the console logger's default
        // then blocks every thread that logs once its queue is full: a readiness probe that logs
        // a transition hangs, and the service with it. Losing console lines is the lesser harm
        // (the logs also go over OTLP); the logger reports how many it dropped.
        if (builder.Configuration["Logging:Console:QueueFullMode"] is null)
        {
            builder.Services.Configure<ConsoleLoggerOptions>(options => options.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        }
        foreach (var category in ChattyCategories.Where(c => builder.Configuration[$"Logging:LogLevel:{c}"] is null))
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }
        if (!outputRedirected)
        {
            return builder;
        }

        var configured = builder.Configuration.GetSection("Logging:Console:FormatterOptions");
        builder.Services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            if (configured["ColorBehavior"] is null)
            {
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            }
            if (configured["SingleLine"] is null)
            {
                options.SingleLine = true;
            }
            if (configured["TimestampFormat"] is null)
            {
                options.TimestampFormat = RedirectedTimestampFormat;
                options.UseUtcTimestamp = true;
            }
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            if (configured["TimestampFormat"] is null)
            {
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            }
        });
        return builder;
    }
}
