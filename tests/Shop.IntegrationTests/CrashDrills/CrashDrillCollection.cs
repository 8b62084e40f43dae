using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.CrashDrills;

/// <summary>
/// The crash drills kill Postgres, RabbitMQ and Redis and restart the api replicas: a stack of
/// their own, so no other test sees those outages, running beside the others (the drills mostly
/// wait for servers to die and come back, which costs the machine little). The load gate then
/// measures on the same stack once the drills are done and the machine is quiet: a stack's start
/// and its idle hours are the suite's biggest cost on 2 cores, and a recovered stack is the one
/// the gate should find as fast as a fresh one.
/// </summary>
[CollectionDefinition(Name)]
[TestCaseOrderer(RunLastOrderer.TypeName, RunLastOrderer.AssemblyName)]
public sealed class CrashDrillCollection : ICollectionFixture<BackendStackFixture>
{
    public const string Name = "crash drill stack";
}
