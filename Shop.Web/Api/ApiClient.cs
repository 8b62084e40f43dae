using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Shop.Web.Api;

/// <summary>
/// What every typed Shop.Api client shares: a time budget per call, and turning failures into
/// two exceptions the pages understand: <see cref="ApiUnavailableException"/> (down, slow, 5xx,
/// garbage) and <see cref="ApiProblemException"/> (the API said no with a 4xx problem).
/// </summary>
public abstract partial class ApiClient(HttpClient http, ILogger logger)
{
    // A page should answer quickly; without a budget, the resilience handler's retries against
    // a dead API would keep the shopper waiting up to its 30 s total timeout.
    protected static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(5);

    // Writes get longer: giving up early on a checkout only makes the shopper retry it.
    protected static readonly TimeSpan WriteBudget = TimeSpan.FromSeconds(10);

    protected HttpClient Http => http;

    protected Task<T> GetAsync<T>(string relativeUri, CancellationToken cancellationToken) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, relativeUri), ReadBudget, cancellationToken);

    protected Task<T> SendJsonAsync<T>(HttpMethod method, string relativeUri, object? body, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, relativeUri) { Content = body is null ? null : JsonContent.Create(body) };
        configure?.Invoke(request);
        return SendAsync<T>(request, WriteBudget, cancellationToken);
    }

    protected async Task SendWithoutResultAsync(HttpMethod method, string relativeUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, relativeUri);
        using var response = await SendRawAsync(request, WriteBudget, cancellationToken);
        await ThrowIfNotSuccessAsync(response, relativeUri, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, TimeSpan budget, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await SendRawAsync(request, budget, cancellationToken);
            await ThrowIfNotSuccessAsync(response, request.RequestUri?.ToString(), cancellationToken);
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                    ?? throw new JsonException("The API answered with JSON null.");
            }
            catch (JsonException ex)
            {
                LogUnavailable(ex, request.RequestUri?.ToString());
                throw new ApiUnavailableException("The shop's service gave an answer we could not read.", ex);
            }
        }
    }

    /// <summary>Sends with the call budget; the response is fully buffered, so the budget covers the body too.</summary>
    protected async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            LogUnavailable(ex, request.RequestUri?.ToString());
            throw new ApiUnavailableException(ex is OperationCanceledException or TimeoutRejectedException
                ? "The shop's service took too long to answer."
                : "The shop's service could not be reached.", ex);
        }
    }

    private async Task ThrowIfNotSuccessAsync(HttpResponseMessage response, string? uri, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var status = response.StatusCode;
        if ((int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            LogServerError((int)status, uri);
            throw new ApiUnavailableException(status == HttpStatusCode.TooManyRequests
                ? "The shop is very busy right now."
                : "The shop's service is having trouble right now.");
        }
        ProblemBody? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemBody>(cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not a problem document (e.g. a bare 404): the status says enough.
        }
        throw new ApiProblemException(status, problem?.Type, problem?.Title, problem?.Detail,
            problem?.Errors ?? new Dictionary<string, string[]>());
    }

    private static bool IsUnavailable(Exception ex, CancellationToken callerToken) => ex switch
    {
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested, // our budget ran out
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop.Api call {Uri} failed; the page tells the shopper and offers a retry.")]
    private partial void LogUnavailable(Exception exception, string? uri);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop.Api answered {Status} to {Uri}; the page tells the shopper and offers a retry.")]
    private partial void LogServerError(int status, string? uri);
}
