using Microsoft.Extensions.Configuration.Json;
using Microsoft.FeatureManagement;

namespace Shop.Web.Features;

public static class FeatureFlagExtensions
{
    /// <summary>
    /// Flags are read from configuration section "FeatureManagement" (ServiceDefaults registers the
    /// feature manager); here the targeting filter learns who the shopper is. Flags also load
    /// from <c>featureflags.json</c> in the content root, reloaded on change: edit the file
    /// (or mount it from a ConfigMap) to change a rollout without a redeploy or restart.
    /// </summary>
    public static IHostApplicationBuilder AddStorefrontFeatureFlags(this IHostApplicationBuilder builder)
    {
        // Right after appsettings*.json, so environment variables and command line still win.
        var sources = builder.Configuration.Sources;
        var afterAppSettings = sources.Select((source, index) => (source, index))
            .LastOrDefault(s => s.source is JsonConfigurationSource { Path: { } path } && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            .index + 1;
        var flags = new JsonConfigurationSource { Path = "featureflags.json", Optional = true, ReloadOnChange = true };
        flags.ResolveFileProvider();
        sources.Insert(Math.Min(afterAppSettings, sources.Count), flags);
        builder.Services.AddFeatureManagement().WithTargeting<ShopperTargetingContextAccessor>();
        return builder;
    }
}
