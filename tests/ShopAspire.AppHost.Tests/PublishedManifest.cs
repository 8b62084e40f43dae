using System.Text.Json.Nodes;

namespace ShopAspire.AppHost.Tests;

/// <summary>The manifest the AppHost writes in publish mode with no settings of its own: written once per test class.</summary>
public sealed class PublishedManifest : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public string Path { get; private set; } = "";

    public JsonObject Resources { get; private set; } = new();

    public async Task InitializeAsync()
    {
        Path = await AppHostProcess.PublishManifestAsync(_folder.Path);
        Resources = Read(Path);
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    public static JsonObject Read(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidOperationException($"{path} is not a JSON object.");
        return root["resources"]?.AsObject() ?? throw new InvalidOperationException($"{path} has no \"resources\" object.");
    }

    public JsonObject Resource(string name) =>
        Resources[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"The manifest has no resource '{name}'; it has: {string.Join(", ", Resources.Select(r => r.Key))}.");

    public static string Type(JsonObject resource) => (string?)resource["type"] ?? "";

    public static string? Env(JsonObject resource, string key) => (string?)resource["env"]?[key];
}
