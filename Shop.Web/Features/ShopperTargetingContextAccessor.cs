using Microsoft.FeatureManagement.FeatureFilters;
using Shop.Web.Accounts;

namespace Shop.Web.Features;

/// <summary>
/// Who the targeting filter decides for: the signed-in shopper's user id, else the browser's
/// visitor id. The filter hashes this id with the flag name, so the answer is sticky per shopper
/// and the same on every replica, with no state stored anywhere.
/// </summary>
internal sealed class ShopperTargetingContextAccessor(IHttpContextAccessor httpContextAccessor) : ITargetingContextAccessor
{
    public ValueTask<TargetingContext> GetContextAsync()
    {
        var context = httpContextAccessor.HttpContext;
        var userId = context?.User.ShopperId() is { } shopper ? $"user:{shopper}"
            : context is not null ? $"visitor:{VisitorId.Get(context)}"
            : "anonymous";
        var groups = context?.User.IsInRole(ShopperClaims.AdminRole) == true ? new[] { "admins" } : [];
        return ValueTask.FromResult(new TargetingContext { UserId = userId, Groups = groups });
    }
}
