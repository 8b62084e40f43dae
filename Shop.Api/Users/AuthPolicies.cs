namespace Shop.Api.Users;

/// <summary>Authorization policy names other slices put on their endpoints.</summary>
public static class AuthPolicies
{
    /// <summary>Any signed-in user (customers and admins both shop).</summary>
    public const string Customer = "customer";

    /// <summary>Manages the catalog.</summary>
    public const string Admin = "admin";
}

public static class Roles
{
    public const string Customer = "customer";
    public const string Admin = ShopTokens.AdminRole;
}
