using System.Net;
using System.Net.Http.Headers;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Async;

/// <summary>The worker's operations endpoints replay and list messages: only the shop's admins may call them.</summary>
[Collection(ShopStackCollection.Name)]
public class WorkerAdminAccessTests(ShopStackFixture stack)
{
    public static TheoryData<string, string> OperationsEndpoints => new()
    {
        { "GET", "/api/v1/admin/consumers" },
        // The analytics queue and a message id that does not exist: other tests' dead letters stay untouched.
        { "GET", "/api/v1/admin/dead-letters?consumer=analytics" },
        { "POST", "/api/v1/admin/dead-letters/analytics/replay?messageId=no-such-message" },
        { "GET", "/api/v1/admin/payments" },
    };

    [Theory]
    [MemberData(nameof(OperationsEndpoints))]
    public async Task Without_a_token_the_worker_operations_endpoints_answer_401(string method, string path)
    {
        using var worker = stack.CreateHttpClient("worker");

        using var response = await worker.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(OperationsEndpoints))]
    public async Task A_customer_token_gets_403_and_an_admin_token_gets_through(string method, string path)
    {
        using var customer = await stack.CreateCustomerClientAsync();
        using var worker = stack.CreateHttpClient("worker");
        using var admin = AdminTokenHandler.ClientFor(stack, "worker");

        using var asCustomer = new HttpRequestMessage(new HttpMethod(method), path);
        asCustomer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer.AccessToken);
        using var customerResponse = await worker.SendAsync(asCustomer);
        using var adminResponse = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Forbidden, customerResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
    }
}
