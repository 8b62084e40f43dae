using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>
/// A value handed to projects, as Aspire's parameters are. Here only generated secrets are needed
/// (signing keys, the bootstrap admin's password); like the servers' passwords, a persistent stack
/// keeps them between runs so tokens and accounts made before a restart stay valid.
/// </summary>
public sealed class ParameterResource(string name, bool secret, int length) : Resource(name), IRunnableResource
{
    private string? _value;

    public bool Secret { get; } = secret;

    public string TypeName => "Parameter";

    public IEnumerable<ServerPackage> RequiredPackages => [];

    /// <summary>The value, known once the app has started.</summary>
    public string Value
    {
        get => _value ?? throw new InvalidOperationException($"Parameter '{Name}' has no value before the app starts.");
        internal set => _value = value;
    }

    public IResourceRunner CreateRunner(RunContext context)
    {
        var persistent = !context.Directories.IsEphemeral && Annotations.OfType<PersistentDataAnnotation>().Any();
        _value = GeneratedPassword.GetOrCreate(context.Directories.ForResource(Name), persistent, length);
        return new ParameterRunner();
    }

    private sealed class ParameterRunner : IResourceRunner
    {
        public Task<int> Exited { get; } = new TaskCompletionSource<int>().Task;

        public IReadOnlyList<Uri> Urls => [];

        public int? ProcessId => null;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

public static class ParameterBuilderExtensions
{
    /// <summary>A generated secret (letters and digits), kept between runs like a data volume.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedParameter(this IDistributedApplicationBuilder builder, string name, int length = 32)
        => builder.AddResource(new ParameterResource(name, secret: true, length)).WithDataVolume();

    /// <summary>Sets <paramref name="name"/> to the parameter's value in the project's environment.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : IResourceWithEnvironment
        => builder.WithAnnotation(new EnvironmentCallbackAnnotation(env => env[name] = parameter.Resource.Value));
}
