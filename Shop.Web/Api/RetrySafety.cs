using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Shop.Web.Api;

/// <summary>
/// The standard resilience handler retries every method. Repeating a POST can do the thing twice
/// (two accounts, two products), so a POST is retried only when it carries an Idempotency-Key:
/// then the API replays the first answer. GET, PUT and DELETE are idempotent and keep retrying.
/// </summary>
internal static class RetrySafety
{
    public static IServiceCollection RetryOnlyRepeatableRequests(this IServiceCollection services) =>
        services.ConfigureAll<HttpStandardResilienceOptions>(options =>
        {
            var transient = options.Retry.ShouldHandle;
            options.Retry.ShouldHandle = args =>
                IsRepeatable(args.Context.GetRequestMessage()) ? transient(args) : PredicateResult.False();
        });

    private static bool IsRepeatable(HttpRequestMessage? request) =>
        request is null
        || (request.Method != HttpMethod.Post && request.Method != HttpMethod.Patch)
        || request.Headers.Contains(OrdersApiClientHeader);

    private const string OrdersApiClientHeader = Orders.OrdersApiClient.IdempotencyKeyHeader;
}
