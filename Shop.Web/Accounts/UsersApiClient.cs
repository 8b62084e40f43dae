using System.Net;
using Shop.Web.Api;

namespace Shop.Web.Accounts;

/// <summary>Typed client for Shop.Api's users endpoints (docs/api.md, Authentication).</summary>
public sealed class UsersApiClient(HttpClient http, ILogger<UsersApiClient> logger) : ApiClient(http, logger)
{
    /// <exception cref="ApiProblemException">Bad input or the email is taken (errors keyed email, password, displayName).</exception>
    public Task<UserDto> SignUpAsync(string email, string password, string displayName, CancellationToken cancellationToken = default) =>
        SendJsonAsync<UserDto>(HttpMethod.Post, "api/v1/users", new { email, password, displayName }, cancellationToken);

    /// <returns>The token, or null when the email or password is wrong (401).</returns>
    public async Task<TokenResponse?> GetTokenAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendJsonAsync<TokenResponse>(HttpMethod.Post, "api/v1/users/token", new { email, password }, cancellationToken);
        }
        catch (ApiProblemException e) when (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            return null;
        }
    }
}
