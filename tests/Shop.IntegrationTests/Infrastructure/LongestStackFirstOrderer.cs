using Shop.BrowserTests.Infrastructure;
using Shop.IntegrationTests.Async;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestCollectionOrderer(Shop.IntegrationTests.Infrastructure.LongestStackFirstOrderer.TypeName, Shop.IntegrationTests.Infrastructure.LongestStackFirstOrderer.AssemblyName)]

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The order in which collections take the runner's threads (xunit.runner.json allows three at a
/// time). By default xunit orders them by a hash, a different order per build, and with four
/// stacks the suite's length depended on which one waited for a thread (19 to 22 minutes here).
/// Here the stacks take the threads first, the longest first should there ever be more stacks
/// than threads, and the stackless collections (seconds in all) follow as threads come free.
/// </summary>
public sealed class LongestStackFirstOrderer : ITestCollectionOrderer
{
    public const string TypeName = "Shop.IntegrationTests.Infrastructure.LongestStackFirstOrderer";
    public const string AssemblyName = "Shop.IntegrationTests";

    private static readonly string[] Stacks =
    [
        ShopStackCollection.Name,
        StorefrontCollection.Name,
        FailureStackCollection.Name,
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => Array.IndexOf(Stacks, collection.DisplayName) is var i and >= 0 ? i : Stacks.Length)
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);
}
