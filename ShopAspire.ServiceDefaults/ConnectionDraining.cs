using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A replica asked to stop (SIGTERM: a rolling restart, a scale-in) keeps serving for a moment
/// before Kestrel stops, and answers every request in that moment with <c>Connection: close</c>.
/// Clients and the proxy in front then open their next connection to a replica that stays, and
/// no request is sent down a keep-alive connection at the instant Kestrel closes it (which the
/// client sees as a response that ended before it began). Kubernetes users know this as a
/// preStop sleep; here it is in the service, so every orchestrator gets it.
/// </summary>
public static partial class ConnectionDraining
{
    /// <summary>Serve with Connection: close for <c>ShopAspire:DrainSeconds</c> (default 1.5) after SIGTERM.</summary>
    public static IHostApplicationBuilder AddConnectionDraining(this IHostApplicationBuilder builder)
    {
        var seconds = builder.Configuration.GetValue("ShopAspire:DrainSeconds", 1.5);
        builder.Services.AddSingleton<IHostedService>(services => new DrainDelay(
            TimeSpan.FromSeconds(seconds), services.GetRequiredService<ILogger<DrainDelay>>()));
        builder.Services.AddTransient<IStartupFilter, CloseConnectionsWhileStopping>();
        return builder;
    }

    /// <summary>Holds the host's stop for the drain time before any service (Kestrel included) stops.</summary>
    internal sealed partial class DrainDelay(TimeSpan delay, ILogger<DrainDelay> logger) : IHostedLifecycleService
    {
        public Task StoppingAsync(CancellationToken cancellationToken)
        {
            LogDraining(delay.TotalSeconds);
            return Task.Delay(delay, cancellationToken);
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: serving {Seconds} s more with Connection: close so clients move to another replica.")]
        private partial void LogDraining(double seconds);
    }

    private sealed class CloseConnectionsWhileStopping(IHostApplicationLifetime lifetime) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (lifetime.ApplicationStopping.IsCancellationRequested && context.Request.Protocol == "HTTP/1.1")
                {
                    context.Response.Headers.Connection = "close";
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
