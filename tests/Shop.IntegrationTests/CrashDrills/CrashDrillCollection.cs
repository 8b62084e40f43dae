using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.CrashDrills;

/// <summary>
/// The crash drills kill Postgres, RabbitMQ and Redis and restart the api replicas: a stack of
/// their own, so no other test sees those outages, running beside the others (the drills mostly
/// wait for servers to die and come back, which costs the machine little).
/// </summary>
[CollectionDefinition(Name)]
public sealed class CrashDrillCollection : ICollectionFixture<BackendStackFixture>
{
    public const string Name = "crash drill stack";
}
