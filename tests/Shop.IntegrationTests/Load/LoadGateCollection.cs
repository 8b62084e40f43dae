using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// The load gate's own stack, with the pinned Artillery installed while it starts. Its own so
/// that a few hundred shoppers never slow or fill the shared stack's tests (mail queues, outbox,
/// order counts), and alone on the machine (no parallelization: it runs after the shared and the
/// failure stacks) so a crash drill's thousands of checkouts do not land in its p95s.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadGateCollection : ICollectionFixture<LoadGateFixture>
{
    public const string Name = "load gate";
}

public sealed class LoadGateFixture : IAsyncLifetime
{
    private Task<Artillery>? _installing;

    public ShopStackFixture Stack { get; } = new BackendStackFixture();

    public Artillery Artillery => _installing?.IsCompletedSuccessfully == true ? _installing.Result : throw new InvalidOperationException("Artillery is not installed.");

    public async Task InitializeAsync()
    {
        _installing = Artillery.EnsureInstalledAsync();
        await Task.WhenAll(_installing, Stack.InitializeAsync());
    }

    public Task DisposeAsync() => Stack.DisposeAsync();
}
