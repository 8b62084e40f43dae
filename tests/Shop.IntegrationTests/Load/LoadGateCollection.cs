using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// The load gate's own stack, with the pinned Artillery installed while it starts. Its own so
/// that a few hundred shoppers never slow or fill the shared stack's tests (mail queues, outbox,
/// order counts). It starts beside the other collections, but measures only once the machine is
/// quiet (<see cref="QuietMachine"/>), so a crash drill's thousands of checkouts do not land in its
/// p95s while its stack's start and Artillery's install overlap the rest of the suite.
/// </summary>
[CollectionDefinition(Name)]
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
