using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Shop.Api.ApiDocs;

/// <summary>What an endpoint's authorization metadata means for its description: a token, and maybe a role.</summary>
internal static class EndpointAuthorization
{
    public static bool RequiresToken(IList<object> metadata) =>
        metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();

    /// <summary>
    /// True when a signed-in caller can still be refused (403): some policy or [Authorize(Roles)]
    /// asks for a role. A policy that only wants a signed-in user with a "sub" (every token the
    /// shop issues has one) never refuses a valid token, so its endpoints do not list 403.
    /// </summary>
    public static async Task<bool> RequiresRoleAsync(IList<object> metadata, IServiceProvider services)
    {
        if (!RequiresToken(metadata))
        {
            return false;
        }
        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            if (!string.IsNullOrEmpty(data.Roles))
            {
                return true;
            }
            if (data.Policy is { } name && await policies.GetPolicyAsync(name) is { } policy
                && policy.Requirements.OfType<RolesAuthorizationRequirement>().Any())
            {
                return true;
            }
        }
        return false;
    }
}
