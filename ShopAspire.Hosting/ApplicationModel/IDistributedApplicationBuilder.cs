namespace ShopAspire.Hosting;

public interface IDistributedApplicationBuilder
{
    DistributedApplicationOptions Options { get; }

    IReadOnlyList<IResource> Resources { get; }

    IResourceBuilder<T> AddResource<T>(T resource) where T : IResource;

    /// <summary>Builds the application; nothing starts until <see cref="DistributedApplication.StartAsync"/>.</summary>
    DistributedApplication Build();
}
