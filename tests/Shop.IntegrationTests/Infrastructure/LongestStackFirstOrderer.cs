using Shop.BrowserTests.Infrastructure;
using Shop.IntegrationTests.Async;
using Shop.IntegrationTests.CrashDrills;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestCollectionOrderer(Shop.IntegrationTests.Infrastructure.LongestStackFirstOrderer.TypeName, Shop.IntegrationTests.Infrastructure.LongestStackFirstOrderer.AssemblyName)]

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The order in which collections take the runner's threads (xunit.runner.json allows three at a
/// time, so one stack waits for another to finish). By default xunit orders them by a hash, a
/// different order per build: the run then lasted anywhere from 19 to 22 minutes depending on
/// which stack came last. Here the stackless collections go first (seconds), then the stacks
/// longest first, and last the crash drills, whose load gate waits for a quiet machine anyway.
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
        CrashDrillCollection.Name,
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(collection => Array.IndexOf(Stacks, collection.DisplayName))
            .ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);
}
