using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shop.Seeder;

namespace Shop.Benchmarks.OrderCost.Load;

/// <summary>
/// The shop's requests as a signed-in customer per connection sends them: checkouts of one line
/// with a fresh Idempotency-Key each, the order just placed, order history, the categories.
/// </summary>
public sealed class ShopRequests
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly AuthenticationHeaderValue[] _tokens;
    private readonly AuthenticationHeaderValue _bigCustomerToken;
    private readonly byte[][] _spreadBodies;
    private readonly byte[] _hotBody;
    private readonly ConcurrentQueue<Guid>[] _placed;

    private ShopRequests(AuthenticationHeaderValue[] tokens, AuthenticationHeaderValue bigCustomerToken, IReadOnlyList<Guid> products)
    {
        _tokens = tokens;
        _bigCustomerToken = bigCustomerToken;
        _spreadBodies = [.. products.Select(CheckoutBody)];
        _hotBody = _spreadBodies[0];
        _placed = [.. tokens.Select(_ => new ConcurrentQueue<Guid>())];
    }

    /// <summary>
    /// Signs in one seeded customer per connection (after the big customers, whose histories are
    /// long) and the biggest customer, whose history page 1 is measured.
    /// </summary>
    public static async Task<ShopRequests> SignInAsync(HttpClient http, int connections, IReadOnlyList<Guid> products, CancellationToken cancellationToken)
    {
        var tokens = new AuthenticationHeaderValue[connections];
        for (var i = 0; i < connections; i++)
        {
            tokens[i] = await SignInAsync(http, SeedOptions.EmailOf(3 + i), cancellationToken);
        }
        var big = await SignInAsync(http, SeedOptions.EmailOf(0), cancellationToken);
        return new ShopRequests(tokens, big, products);
    }

    private static async Task<AuthenticationHeaderValue> SignInAsync(HttpClient http, string email, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/users/token", new { email, password = SeedOptions.CustomerPassword }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();
        return new AuthenticationHeaderValue("Bearer", token);
    }

    private static byte[] CheckoutBody(Guid product) =>
        Encoding.UTF8.GetBytes($$"""{"lines":[{"productId":"{{product}}","quantity":1}]}""");

    /// <summary>Checkouts spread over all the products, connection k starting at product k.</summary>
    public LoadRequest SpreadCheckout(string label = "checkout spread") =>
        Checkout(label, (worker, n) => _spreadBodies[(int)((n + worker) % _spreadBodies.Length)]);

    /// <summary>Every checkout buys the same product.</summary>
    public LoadRequest HotCheckout(string label = "checkout hot") => Checkout(label, (_, _) => _hotBody);

    private LoadRequest Checkout(string label, Func<int, long, byte[]> body) => new(
        label,
        (worker, n) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
            {
                Content = new ByteArrayContent(body(worker, n)) { Headers = { ContentType = Json } },
            };
            request.Headers.Authorization = _tokens[worker];
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return request;
        },
        HttpStatusCode.Created,
        (worker, response) =>
        {
            // Location: /api/v1/orders/{id}; a few hundred per connection are enough to read back.
            if (_placed[worker].Count < 500 && response.Headers.Location is { } location &&
                Guid.TryParse(location.OriginalString.AsSpan(location.OriginalString.LastIndexOf('/') + 1), out var id))
            {
                _placed[worker].Enqueue(id);
            }
        });

    /// <summary>GET one of the connection's own orders, round robin.</summary>
    public LoadRequest OrderById()
    {
        var ids = _placed.Select(q => q.ToArray()).ToArray();
        if (ids.Any(i => i.Length == 0))
        {
            throw new InvalidOperationException("A connection placed no order to read back.");
        }
        return new("order by id", (worker, n) => Get($"/api/v1/orders/{ids[worker][n % ids[worker].Length]}", _tokens[worker]), HttpStatusCode.OK);
    }

    /// <summary>The catalog's categories: cached JSON (HybridCache), sent with the same tokens.</summary>
    public LoadRequest CachedJson() =>
        new("cached json (categories)", (worker, _) => Get("/api/v1/categories", _tokens[worker]), HttpStatusCode.OK);

    /// <summary>Order history page 1 of the biggest seeded customer.</summary>
    public LoadRequest HistoryPage() =>
        new("history page 1 (big customer)", (_, _) => Get("/api/v1/orders?pageSize=20", _bigCustomerToken), HttpStatusCode.OK);

    private static HttpRequestMessage Get(string path, AuthenticationHeaderValue token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = token;
        return request;
    }
}
