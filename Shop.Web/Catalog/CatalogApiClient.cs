using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Shop.Web.Catalog;

/// <summary>Typed client for Shop.Api's catalog endpoints.</summary>
public sealed partial class CatalogApiClient(HttpClient http, ILogger<CatalogApiClient> logger)
{
    // A page should answer quickly; without this, the resilience handler's retries against a
    // dead API would keep the shopper waiting up to its 30 s total timeout.
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<ProductSummary>> GetLatestProductsAsync(int limit, CancellationToken cancellationToken = default) =>
        (await GetAsync<ProductPage>($"api/v1/products?pageSize={limit}", cancellationToken)).Items;

    public Task<IReadOnlyList<ActivityEntry>> GetRecentActivityAsync(int limit, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ActivityEntry>>($"api/v1/catalog/activity?limit={limit}", cancellationToken);

    /// <exception cref="CatalogUnavailableException">The API could not be reached or gave no usable answer.</exception>
    private async Task<T> GetAsync<T>(string relativeUri, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(CallBudget);
        try
        {
            return await http.GetFromJsonAsync<T>(relativeUri, budget.Token)
                ?? throw new JsonException("The API answered with JSON null.");
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            LogUnavailable(ex, relativeUri);
            throw new CatalogUnavailableException(ex);
        }
    }

    private static bool IsUnavailable(Exception ex, CancellationToken callerToken) => ex switch
    {
        HttpRequestException or JsonException or TimeoutRejectedException or BrokenCircuitException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested, // our budget ran out
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog API call {Uri} failed; showing the page without catalog data.")]
    private partial void LogUnavailable(Exception exception, string uri);

    /// <summary>The API's Page&lt;ProductDto&gt;; only the items are shown.</summary>
    private sealed record ProductPage(IReadOnlyList<ProductSummary> Items, string? NextCursor);
}
