using System.Globalization;

namespace ShopAspire.AppHost;

internal static class AppModelExtensions
{
    /// <summary>
    /// A secret generated once and kept in the AppHost's user secrets (as Aspire keeps its generated
    /// passwords); <c>Parameters:&lt;name&gt;</c> in configuration overrides it.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name, int length) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = length, Special = false }, secret: true, persist: true);

    /// <summary>
    /// Creates the server's AddDatabase databases the first time a deployed container starts. Aspire
    /// creates them itself only when it runs the app; a deployed container starts with the
    /// <c>postgres</c> database alone (dotnet/aspire#14695) and nothing in the manifest creates more.
    /// The official image runs <c>/docker-entrypoint-initdb.d/*.sql</c> when it initialises an empty
    /// data directory: the entrypoint writes one there, then starts the image's own entrypoint.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> WithDatabasesCreatedOnFirstStart(this IResourceBuilder<PostgresServerResource> postgres) =>
        postgres
            .WithEntrypoint("/bin/sh")
            .WithArgs(context =>
            {
                context.Args.Add("-c");
                context.Args.Add(CreateDatabasesThenStart(postgres.Resource.Databases.Values));
            });

    internal static string CreateDatabasesThenStart(IEnumerable<string> databaseNames)
    {
        var statements = databaseNames.Select(name => System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$")
            ? $"'CREATE DATABASE \"{name}\";'"
            : throw new ArgumentException($"Database name '{name}' needs quoting this script does not do.", nameof(databaseNames))).ToList();
        return statements.Count == 0
            ? "exec docker-entrypoint.sh postgres"
            : $"printf '%s\\n' {string.Join(' ', statements)} > /docker-entrypoint-initdb.d/10-shopaspire-databases.sql && exec docker-entrypoint.sh postgres";
    }

    /// <summary>Replica count of a service: <c>ShopAspire:Replicas:&lt;name&gt;</c>, else the model's default.</summary>
    public static int Replicas(this IDistributedApplicationBuilder builder, string name, int defaultCount) =>
        builder.Configuration[$"ShopAspire:Replicas:{name}"] is { Length: > 0 } configured
            ? int.Parse(configured, CultureInfo.InvariantCulture)
            : defaultCount;
}
