using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Shop.IntegrationTests.Logging;

/// <summary>ServiceDefaults' console logging: plain single lines when redirected, colours on a terminal.</summary>
public class ConsoleLoggingTests
{
    private const char Escape = '\u001b';

    [Fact]
    public void Redirected_output_gets_one_line_per_entry_without_colour_codes()
    {
        using var host = Build(outputRedirected: true);

        var written = Format(host, LogLevel.Warning, "Outbox relay failed; retrying in 00:00:01.", new InvalidOperationException("broker down"));

        Assert.DoesNotContain(Escape, written);
        var entry = Assert.Single(written.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // the exception too
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn: Shop\.Test\[0\] Outbox relay failed", entry);
        Assert.Contains("broker down", entry);
    }

    [Fact]
    public void A_terminal_keeps_the_coloured_two_line_entries()
    {
        using var host = Build(outputRedirected: false, ("Logging:Console:FormatterOptions:ColorBehavior", "Enabled"));

        var written = Format(host, LogLevel.Warning, "Outbox relay failed.", null);

        Assert.Contains(Escape, written); // the formatter really colours when asked: the check above can fail
        Assert.Equal(2, written.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Configured_formatter_options_win_over_the_redirected_defaults()
    {
        using var host = Build(outputRedirected: true,
            ("Logging:Console:FormatterOptions:SingleLine", "false"), ("Logging:Console:FormatterOptions:TimestampFormat", "HH:mm "));

        var options = host.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;

        Assert.False(options.SingleLine);
        Assert.Equal("HH:mm ", options.TimestampFormat);
        Assert.Equal(LoggerColorBehavior.Disabled, options.ColorBehavior);
    }

    [Theory]
    [InlineData("StackExchange.Redis", "StackExchange.Redis.ConnectionMultiplexer")]
    [InlineData("Npgsql", "Npgsql.Connection")]
    [InlineData("Npgsql", "Npgsql.Command")]
    [InlineData("System.Net.Http.HttpClient", "System.Net.Http.HttpClient.OrdersApiClient.LogicalHandler")]
    public void Per_operation_chatter_of_client_libraries_is_left_out_unless_configured(string configured, string category)
    {
        using var quiet = Build(outputRedirected: true);
        using var verbose = Build(outputRedirected: true, ($"Logging:LogLevel:{configured}", "Information"));

        var quietLogger = quiet.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        var verboseLogger = verbose.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        var ownLogger = quiet.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Api.Orders");

        Assert.False(quietLogger.IsEnabled(LogLevel.Information));
        Assert.True(quietLogger.IsEnabled(LogLevel.Warning));
        Assert.True(verboseLogger.IsEnabled(LogLevel.Information));
        Assert.True(ownLogger.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void A_stalled_stdout_drops_console_lines_instead_of_blocking_the_threads_that_log()
    {
        using var host = Build(outputRedirected: true);
        using var configured = Build(outputRedirected: true, ("Logging:Console:QueueFullMode", "Wait"));

        Assert.Equal(ConsoleLoggerQueueFullMode.DropWrite, host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.QueueFullMode);
        Assert.Equal(ConsoleLoggerQueueFullMode.Wait, configured.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.QueueFullMode);
    }

    private static IHost Build(bool outputRedirected, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddConsole();
        builder.ConfigureConsoleLogging(outputRedirected);
        return builder.Build();
    }

    /// <summary>One entry through the console's "simple" formatter, as the console logger would write it.</summary>
    private static string Format(IHost host, LogLevel level, string message, Exception? exception)
    {
        var formatter = host.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Shop.Test", new EventId(0), message, exception, (state, _) => state);
        formatter.Write(in entry, new LoggerExternalScopeProvider(), writer);
        return writer.ToString();
    }
}
