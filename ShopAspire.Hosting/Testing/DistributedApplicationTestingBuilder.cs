using System.Reflection;

namespace ShopAspire.Hosting.Testing;

/// <summary>
/// Runs an AppHost's own Program.cs up to Build() and gives the tests its builder, with throwaway
/// data, random ports and no console reporting, the way Aspire.Hosting.Testing does.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[]? args = null, CancellationToken cancellationToken = default)
        where TEntryPoint : IProjectMetadata, new()
    {
        var metadata = new TEntryPoint();
        // By name, so the AppHost assembly and ShopAspire.Hosting load once, in the test's context.
        var assembly = Assembly.Load(AssemblyName.GetAssemblyName(metadata.ExecutablePath));
        var entryPoint = assembly.EntryPoint ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no entry point.");

        var interception = new BuilderInterception(options =>
        {
            options.EphemeralData = true;
            options.ConsoleReporting = false;
            options.OtlpEndpoint = null;
        });
        using (BuilderInterception.Activate(interception))
        {
            var thread = new Thread(() =>
            {
                try
                {
                    entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args ?? []]);
                    interception.Fail(new InvalidOperationException($"{assembly.GetName().Name}'s Program ended without calling Build()."));
                }
                catch (TargetInvocationException e) when (e.InnerException is BuilderCapturedException)
                {
                }
                catch (Exception e)
                {
                    interception.Fail(e.InnerException ?? e);
                }
            }) { IsBackground = true, Name = $"{assembly.GetName().Name} Program" };
            thread.Start();
            var builder = await interception.Captured.WaitAsync(cancellationToken);
            return new TestingBuilder(builder);
        }
    }

    private sealed class TestingBuilder(DistributedApplicationBuilder builder) : IDistributedApplicationTestingBuilder
    {
        public DistributedApplicationOptions Options => builder.Options;

        public IReadOnlyList<IResource> Resources => builder.Resources;

        public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource => builder.AddResource(resource);

        public DistributedApplication Build() => builder.BuildApplication();

        public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default) => Task.FromResult(builder.BuildApplication());
    }
}

public interface IDistributedApplicationTestingBuilder : IDistributedApplicationBuilder
{
    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}
