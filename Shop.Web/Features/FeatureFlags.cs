namespace Shop.Web.Features;

/// <summary>Names of the storefront's feature flags (configuration section "FeatureManagement").</summary>
public static class FeatureFlags
{
    /// <summary>"More in this category" on the product page, rolled out to a percentage of shoppers.</summary>
    public const string Recommendations = "Recommendations";
}
