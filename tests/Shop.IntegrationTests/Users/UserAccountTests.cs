using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Users;

[Collection(ShopStackCollection.Name)]
public class UserAccountTests(ShopStackFixture stack)
{
    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.test";

    [Fact]
    public async Task A_registered_user_signs_in_and_the_token_identifies_them()
    {
        using var customer = await stack.CreateCustomerClientAsync("Ada");

        var me = await customer.Http.GetFromJsonAsync<JsonElement>("/api/v1/users/me");

        Assert.Equal(customer.UserId, me.GetProperty("id").GetGuid());
        Assert.Equal(customer.Email, me.GetProperty("email").GetString());
        Assert.Equal("Ada", me.GetProperty("displayName").GetString());
        Assert.Equal("customer", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Passwords_are_stored_as_salted_hashes()
    {
        using var first = await stack.CreateCustomerClientAsync();
        using var second = await stack.CreateCustomerClientAsync();

        await using var db = new NpgsqlConnection(await stack.ConnectionStringAsync("shopdb"));
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT password_hash FROM users WHERE id = ANY(@ids)", db);
        query.Parameters.AddWithValue("ids", new[] { first.UserId, second.UserId });
        var hashes = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                hashes.Add(reader.GetString(0));
            }
        }

        Assert.Equal(2, hashes.Count);
        Assert.All(hashes, h => Assert.DoesNotContain(first.Password, h));
        Assert.NotEqual(hashes[0], hashes[1]); // same password, different salt
    }

    [Fact]
    public async Task The_same_email_in_another_case_cannot_register_twice()
    {
        using var api = stack.CreateHttpClient("api");
        var email = NewEmail();
        using var first = await api.PostAsJsonAsync("/api/v1/users", new { email, password = "long enough 1", displayName = "One" });

        using var second = await api.PostAsJsonAsync("/api/v1/users", new { email = email.ToUpperInvariant(), password = "long enough 2", displayName = "Two" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Concurrent_sign_ups_for_one_email_create_one_account()
    {
        using var api = stack.CreateHttpClient("api");
        var email = NewEmail();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            api.PostAsJsonAsync("/api/v1/users", new { email, password = $"password {i:D2}", displayName = $"Racer {i}" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Theory]
    [InlineData("not-an-email", "long enough", "Name", "email")]
    [InlineData("Bob <bob@example.test>", "long enough", "Name", "email")]
    [InlineData("a@example.test", "short", "Name", "password")]
    [InlineData("a@example.test", "long enough", "   ", "displayName")]
    [InlineData(null, "long enough", "Name", "email")]
    public async Task Invalid_sign_up_fields_are_named_in_a_validation_problem(string? email, string password, string displayName, string field)
    {
        using var api = stack.CreateHttpClient("api");

        using var response = await api.PostAsJsonAsync("/api/v1/users", new { email, password, displayName });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}'");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_401()
    {
        using var customer = await stack.CreateCustomerClientAsync();
        using var api = stack.CreateHttpClient("api");

        using var wrongPassword = await api.PostAsJsonAsync("/api/v1/users/token", new { email = customer.Email, password = "not the password" });
        using var unknownEmail = await api.PostAsJsonAsync("/api/v1/users/token", new { email = NewEmail(), password = "not the password" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        var first = await wrongPassword.Content.ReadFromJsonAsync<JsonElement>();
        var second = await unknownEmail.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Protected_endpoints_reject_missing_and_forged_tokens()
    {
        using var customer = await stack.CreateCustomerClientAsync();
        using var api = stack.CreateHttpClient("api");
        using var missing = await api.GetAsync("/api/v1/users/me");

        // Same claims, different signature: flip a character of the signature part.
        var parts = customer.AccessToken.Split('.');
        parts[2] = (parts[2][0] == 'A' ? "B" : "A") + parts[2][1..];
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", string.Join('.', parts));
        using var forged = await api.GetAsync("/api/v1/users/me");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task The_configured_admin_signs_in_with_the_admin_role()
    {
        using var admin = await stack.CreateAdminClientAsync();

        var me = await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/users/me");

        Assert.Equal("admin", me.GetProperty("role").GetString());
    }
}
