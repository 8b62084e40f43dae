using System.Net.Http.Headers;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Signs in as the bootstrap admin on first use and sends that token with every request: for the
/// worker's operations endpoints, which accept the API's admin tokens.
/// </summary>
public sealed class AdminTokenHandler(ShopStackFixture stack, HttpMessageHandler? inner = null) : DelegatingHandler(inner ?? new SocketsHttpHandler())
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;

    public static HttpClient ClientFor(ShopStackFixture stack, string resourceName)
    {
        using var plain = stack.CreateHttpClient(resourceName);
        return new HttpClient(new AdminTokenHandler(stack)) { BaseAddress = plain.BaseAddress };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync());
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<string> TokenAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_token is null)
            {
                using var admin = await stack.CreateAdminClientAsync();
                _token = admin.AccessToken;
            }
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }
        base.Dispose(disposing);
    }
}
