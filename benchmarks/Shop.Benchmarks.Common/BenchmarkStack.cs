using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Testing;

namespace Shop.Benchmarks.Common;

/// <summary>
/// The shop's own app model (the AppHost's Program.cs) started with throwaway data, as the
/// integration tests start it, for a benchmark: quiet, and without the resources it leaves out.
/// </summary>
public static class BenchmarkStack
{
    public static Task<ShopApp> StartAsync<TAppHost>(
        IReadOnlyCollection<string> leftOut,
        IEnumerable<string> healthy,
        TimeSpan budget,
        Action<IDistributedApplicationTestingBuilder>? configure = null,
        params string[] args)
        where TAppHost : class =>
        ShopApp.StartAsync<TAppHost>(
            healthy,
            budget,
            configure: builder =>
            {
                // The AppHost's console log (every resource's output, health checks failing while
                // servers start) would bury the results; a failed start still throws with each
                // resource's log tail.
                builder.Services.AddLogging(logging => logging.ClearProviders());
                foreach (var resource in builder.Resources.Where(r => leftOut.Contains(r.Name)).ToList())
                {
                    builder.Resources.Remove(resource);
                }
                configure?.Invoke(builder);
            },
            args: args);
}
