using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Shop.Worker.Payments;

/// <summary>
/// The provider call's resilience pipeline, chosen on purpose instead of the standard handler
/// (outermost first):
/// <list type="number">
/// <item>Total timeout 20 s: the whole call, retries included, never holds a message longer.</item>
/// <item>Retry: 3 retries, exponential from 200 ms with jitter (spreads a herd of workers), only
/// for transient failures: 5xx, 408, 429, connection errors, attempt timeouts. A decline (402)
/// or a bad request is an answer, not a failure: it is never retried.</item>
/// <item>Circuit breaker: opens when half of at least 10 calls in 5 s failed, for 3 s. While
/// open, calls fail at once (BrokenCircuitException): the consumer defers the message through
/// its retry queue and the order stays pending, instead of queueing every order behind a dead
/// provider.</item>
/// <item>Attempt timeout 2 s: a stalled call is abandoned and retried (same idempotency key,
/// so the provider never charges twice).</item>
/// </list>
/// </summary>
public static class PaymentResilience
{
    public static IHttpClientBuilder AddPaymentResilience(this IHttpClientBuilder builder)
    {
        // ServiceDefaults put the standard handler on every client; this one has its own.
#pragma warning disable EXTEXP0001 // Experimental, but the documented way to replace the defaults' handler.
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddResilienceHandler("payments", (pipeline, context) =>
        {
            var metrics = context.ServiceProvider.GetRequiredService<PaymentMetrics>();
            pipeline
                .AddTimeout(TimeSpan.FromSeconds(20))
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    OnRetry = args =>
                    {
                        metrics.Retried(args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString() ?? "unknown");
                        return ValueTask.CompletedTask;
                    },
                })
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 10,
                    SamplingDuration = TimeSpan.FromSeconds(5),
                    BreakDuration = TimeSpan.FromSeconds(3),
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    OnOpened = _ =>
                    {
                        metrics.BreakerOpened();
                        return ValueTask.CompletedTask;
                    },
                    OnClosed = _ =>
                    {
                        metrics.BreakerClosed();
                        return ValueTask.CompletedTask;
                    },
                    OnHalfOpened = _ =>
                    {
                        metrics.BreakerHalfOpened();
                        return ValueTask.CompletedTask;
                    },
                })
                .AddTimeout(TimeSpan.FromSeconds(2));
        });
        return builder;
    }

    /// <summary>Worth another try: the provider or the network hiccuped. Never a decline or a 4xx.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Exception: OperationCanceledException } => false, // we are stopping: not the provider's fault
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };
}
