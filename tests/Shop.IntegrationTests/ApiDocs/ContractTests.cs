using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.ApiDocs;

/// <summary>
/// The API against its own OpenAPI document: a walk that calls every operation with good and
/// bad input, then every exchange this collection made so far (the walk's and other tests') is
/// checked by <see cref="ContractCheckHandler"/> — operation exists, status listed, response body
/// matches its schema, accepted request bodies match theirs. Traffic after this test is failed
/// on by <see cref="ShopStackFixture.DisposeAsync"/>.
/// </summary>
[Collection(ShopStackCollection.Name)]
public class ContractTests(ShopStackFixture stack, ITestOutputHelper output)
{
    private readonly List<string> _unexpected = [];

    [Fact]
    public async Task Every_operation_answers_as_the_openapi_document_says()
    {
        using var anonymous = stack.CreateHttpClient("api");
        using var customer = await stack.CreateCustomerClientAsync();
        using var admin = await stack.CreateAdminClientAsync();

        var productId = await WalkCatalogAsync(anonymous, customer.Http, admin.Http);
        await WalkUsersAsync(anonymous, customer);
        await WalkCartAsync(customer.Http, productId);
        await WalkOrdersAsync(customer.Http, admin.Http, productId);
        await WalkOperationsAsync(customer.Http, admin.Http);

        Assert.True(_unexpected.Count == 0, $"The walk did not get the answers it meant to provoke:\n{string.Join("\n", _unexpected)}");
        var contract = await stack.Contract.ContractAsync();
        Assert.True(stack.Contract.Exchanges > 0, "The contract check saw no traffic: is ContractCheckHandler in the stack's HttpClients?");
        var unexercised = contract.Operations.Except(stack.Contract.OperationsSeen.Keys).ToArray();
        Assert.True(unexercised.Length == 0, $"Operations nothing called: {string.Join(", ", unexercised)}; add them to the walk.");
        output.WriteLine($"{stack.Contract.Exchanges} exchanges over {stack.Contract.OperationsSeen.Count} operations checked.");
        var violations = stack.Contract.TakeUnreported();
        Assert.True(violations.Count == 0,
            $"The API answered {violations.Count} times otherwise than its OpenAPI document says:\n{ContractRecorder.Describe(violations)}");
    }

    private async Task<Guid> WalkCatalogAsync(HttpClient anonymous, HttpClient customer, HttpClient admin)
    {
        await ExpectAsync(HttpStatusCode.OK, anonymous.GetAsync("/api/v1/categories"));
        var categories = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/categories");
        var slug = categories.GetArrayLength() > 0 ? categories[0].GetProperty("slug").GetString() : null;

        // Only the required fields: the optional ones must really be optional.
        var created = await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/products", new { name = "Contract walk minimal", price = 3.5m }));
        var minimalId = created.GetProperty("id").GetGuid();
        var full = await ExpectAsync(HttpStatusCode.Created, admin.PostAsJsonAsync("/api/v1/products", new
        {
            name = "Contract walk full",
            price = 12.25m,
            description = "Every field set.",
            categorySlug = slug,
            currency = "EUR",
            stock = 5,
            imageUrl = "/images/contract.png",
            metadata = new { color = "blue", sizes = new[] { 1, 2 } },
        }));
        var productId = full.GetProperty("id").GetGuid();
        await ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsJsonAsync("/api/v1/products", new { name = "", price = -1 }));
        await ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/products", Json("{\"name\": 5")));
        await ExpectAsync(HttpStatusCode.UnsupportedMediaType, admin.PostAsync("/api/v1/products", new StringContent("name=x", System.Text.Encoding.UTF8, "text/plain")));
        await ExpectAsync(HttpStatusCode.Unauthorized, anonymous.PostAsJsonAsync("/api/v1/products", new { name = "x", price = 1 }));
        await ExpectAsync(HttpStatusCode.Forbidden, customer.PostAsJsonAsync("/api/v1/products", new { name = "x", price = 1 }));

        await ExpectAsync(HttpStatusCode.OK, anonymous.GetAsync("/api/v1/products?pageSize=2"));
        await ExpectAsync(HttpStatusCode.BadRequest, anonymous.GetAsync("/api/v1/products?pageSize=abc&minPrice=x"));
        await ExpectAsync(HttpStatusCode.BadRequest, anonymous.GetAsync("/api/v1/products?q=%00"));
        await ExpectAsync(HttpStatusCode.OK, anonymous.GetAsync($"/api/v1/products/{productId}"));
        await ExpectAsync(HttpStatusCode.NotFound, anonymous.GetAsync($"/api/v1/products/{Guid.NewGuid()}"));

        using (var image = await anonymous.GetAsync($"/api/v1/products/{productId}/image"))
        {
            Expect(HttpStatusCode.OK, image);
            using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/products/{productId}/image");
            again.Headers.IfNoneMatch.Add(image.Headers.ETag!);
            Expect(HttpStatusCode.NotModified, await anonymous.SendAsync(again));
        }
        await ExpectAsync(HttpStatusCode.NotFound, anonymous.GetAsync($"/api/v1/products/{Guid.NewGuid()}/image"));

        await ExpectAsync(HttpStatusCode.OK, admin.PutAsJsonAsync($"/api/v1/products/{minimalId}", new { name = "Contract walk renamed", price = 4m }));
        await ExpectAsync(HttpStatusCode.NotFound, admin.PutAsJsonAsync($"/api/v1/products/{Guid.NewGuid()}", new { name = "x", price = 1m }));
        await ExpectAsync(HttpStatusCode.BadRequest, admin.PutAsJsonAsync($"/api/v1/products/{minimalId}", new { name = "x", price = 1.234m }));
        await ExpectAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"/api/v1/products/{minimalId}"));
        await ExpectAsync(HttpStatusCode.NotFound, admin.DeleteAsync($"/api/v1/products/{minimalId}"));

        await ExpectAsync(HttpStatusCode.OK, anonymous.GetAsync("/api/v1/catalog/activity?limit=5"));
        await ExpectAsync(HttpStatusCode.BadRequest, anonymous.GetAsync("/api/v1/catalog/activity?limit=abc"));
        return productId;
    }

    private async Task WalkUsersAsync(HttpClient anonymous, ApiClients.SignedInClient customer)
    {
        await ExpectAsync(HttpStatusCode.BadRequest, anonymous.PostAsJsonAsync("/api/v1/users", new { email = "not an email", password = "short" }));
        await ExpectAsync(HttpStatusCode.Conflict, anonymous.PostAsJsonAsync("/api/v1/users", new { email = customer.Email, password = customer.Password, displayName = "Twin" }));
        await ExpectAsync(HttpStatusCode.Unauthorized, anonymous.PostAsJsonAsync("/api/v1/users/token", new { email = customer.Email, password = "wrong password" }));
        await ExpectAsync(HttpStatusCode.BadRequest, anonymous.PostAsJsonAsync("/api/v1/users/token", new { email = "" }));
        await ExpectAsync(HttpStatusCode.OK, customer.Http.GetAsync("/api/v1/users/me"));
        await ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/users/me"));
    }

    private async Task WalkCartAsync(HttpClient customer, Guid productId)
    {
        await ExpectAsync(HttpStatusCode.OK, customer.PutAsJsonAsync($"/api/v1/cart/lines/{productId}", new { quantity = 2 }));
        await ExpectAsync(HttpStatusCode.BadRequest, customer.PutAsJsonAsync($"/api/v1/cart/lines/{productId}", new { quantity = 0 }));
        await ExpectAsync(HttpStatusCode.BadRequest, customer.PutAsJsonAsync("/api/v1/cart/lines/not-a-guid", new { quantity = 1 }));
        await ExpectAsync(HttpStatusCode.NotFound, customer.PutAsJsonAsync($"/api/v1/cart/lines/{Guid.NewGuid()}", new { quantity = 1 }));
        await ExpectAsync(HttpStatusCode.OK, customer.GetAsync("/api/v1/cart"));
        await ExpectAsync(HttpStatusCode.OK, customer.DeleteAsync($"/api/v1/cart/lines/{productId}"));
        await ExpectAsync(HttpStatusCode.BadRequest, customer.DeleteAsync("/api/v1/cart/lines/not-a-guid"));
        await ExpectAsync(HttpStatusCode.NoContent, customer.DeleteAsync("/api/v1/cart"));
        using var anonymous = stack.CreateHttpClient("api");
        await ExpectAsync(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/cart"));
    }

    private async Task WalkOrdersAsync(HttpClient customer, HttpClient admin, Guid productId)
    {
        await ExpectAsync(HttpStatusCode.BadRequest, customer.PostAsJsonAsync("/api/v1/orders", new { lines = new[] { new { productId, quantity = 1 } } }));
        await ExpectAsync(HttpStatusCode.BadRequest, CheckoutAsync(customer, Guid.NewGuid().ToString(), null));
        var key = Guid.NewGuid().ToString();
        var lines = new { lines = new[] { new { productId = productId.ToString(), quantity = 1 } } };
        var order = await ExpectAsync(HttpStatusCode.Created, CheckoutAsync(customer, key, lines));
        await ExpectAsync(HttpStatusCode.Created, CheckoutAsync(customer, key, lines));
        await ExpectAsync(HttpStatusCode.UnprocessableEntity, CheckoutAsync(customer, key, new { lines = new[] { new { productId = productId.ToString(), quantity = 2 } } }));
        await ExpectAsync(HttpStatusCode.Conflict, CheckoutAsync(customer, Guid.NewGuid().ToString(), new { lines = new[] { new { productId = productId.ToString(), quantity = 99 } } }));
        await ExpectAsync(HttpStatusCode.BadRequest, CheckoutAsync(customer, Guid.NewGuid().ToString(), new { lines = new[] { new { productId = "x", quantity = 1.5 } } }));

        await ExpectAsync(HttpStatusCode.OK, customer.GetAsync("/api/v1/orders?pageSize=5"));
        await ExpectAsync(HttpStatusCode.BadRequest, customer.GetAsync("/api/v1/orders?pageSize=0"));
        await ExpectAsync(HttpStatusCode.OK, customer.GetAsync($"/api/v1/orders/{order.GetProperty("id").GetGuid()}"));
        await ExpectAsync(HttpStatusCode.NotFound, admin.GetAsync($"/api/v1/orders/{order.GetProperty("id").GetGuid()}"));
    }

    private async Task WalkOperationsAsync(HttpClient customer, HttpClient admin)
    {
        await ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/admin/outbox"));
        await ExpectAsync(HttpStatusCode.Forbidden, customer.GetAsync("/api/v1/admin/outbox"));
        await ExpectAsync(HttpStatusCode.OK, admin.GetAsync("/api/v1/analytics/orders-per-minute?minutes=5"));
        await ExpectAsync(HttpStatusCode.BadRequest, admin.GetAsync("/api/v1/analytics/orders-per-minute?minutes=0"));
    }

    private static Task<HttpResponseMessage> CheckoutAsync(HttpClient client, string key, object? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static StringContent Json(string text) => new(text, System.Text.Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>The walk's own expectation; the contract check judges the exchange separately.</summary>
    private async Task<JsonElement> ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Expect(expected, response);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
    }

    private void Expect(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            _unexpected.Add($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode}, meant {(int)expected}");
        }
    }
}
