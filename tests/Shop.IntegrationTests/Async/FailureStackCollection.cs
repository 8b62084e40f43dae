using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// Failure tests kill the worker and stop the broker: they get a stack of their own, so the
/// other collections never see those outages.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FailureStackCollection : ICollectionFixture<BackendStackFixture>
{
    public const string Name = "async failure stack";

    /// <summary>Orders per failure test; the scenario is 2,000. Lower it locally with ASYNC_FAILURE_ORDERS.</summary>
    public static int Orders => int.TryParse(Environment.GetEnvironmentVariable("ASYNC_FAILURE_ORDERS"), out var n) && n > 0 ? n : 2000;
}
