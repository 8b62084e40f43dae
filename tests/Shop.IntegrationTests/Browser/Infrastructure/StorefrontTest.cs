namespace Shop.BrowserTests.Infrastructure;

/// <summary>
/// A test of the storefront collection. The browser is shared by the whole collection, so each
/// test closes the contexts it opened when it ends: a page left open keeps working (the dashboard's
/// live views, a storefront page's order-status updates, a console's auto-refresh) and costs the
/// browser and the servers CPU for the rest of the run.
/// </summary>
public abstract class StorefrontTest(StorefrontFixture stack) : IAsyncLifetime
{
    protected StorefrontFixture Stack { get; } = stack;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Stack.CloseBrowserContextsAsync();
}
