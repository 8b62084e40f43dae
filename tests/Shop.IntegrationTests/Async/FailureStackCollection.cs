using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Async;

/// <summary>
/// The drills that break the stack on purpose share one: the failure tests kill the worker, stop
/// the broker and break the payment provider; the crash drills kill Postgres, RabbitMQ and Redis
/// and restart the api replicas. No other collection sees those outages. The load gate then
/// measures on the same stack ([RunLast]) once the drills are done and the machine is quiet: a
/// recovered stack is the one it should find as fast as a fresh one. One stack rather than two:
/// a stack's start costs the 2 cores about a minute, and a fourth stack waited for a runner thread.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FailureStackCollection : ICollectionFixture<BackendStackFixture>
{
    public const string Name = "failure drill stack";

    /// <summary>Orders per failure test; the scenario is 2,000. Lower it locally with ASYNC_FAILURE_ORDERS.</summary>
    public static int Orders => int.TryParse(Environment.GetEnvironmentVariable("ASYNC_FAILURE_ORDERS"), out var n) && n > 0 ? n : 2000;
}
