using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class ForwardedHeadersExtensions
{
    /// <summary>Configuration key: CIDR ranges of proxies whose X-Forwarded-* headers are believed (loopback always is).</summary>
    public const string KnownNetworksKey = "ForwardedHeaders:KnownNetworks";

    /// <summary>
    /// Believes X-Forwarded-For and X-Forwarded-Proto from trusted proxies only: loopback (the
    /// orchestrator's proxy, the storefront calling the API on a shopper's behalf on one machine)
    /// and the ranges in <see cref="KnownNetworksKey"/> (an ingress, a cluster network). A client
    /// elsewhere cannot pick its own address this way. Per-client limits count the address this
    /// yields; HSTS is sent when it says the client came over TLS.
    /// </summary>
    public static TBuilder AddForwardedHeadersFromTrustedProxies<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var knownNetworks = builder.Configuration.GetSection(KnownNetworksKey).Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var network in knownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }
}
