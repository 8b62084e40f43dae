namespace Shop.Api.Database;

public static class DatabaseMigrationExtensions
{
    /// <summary>
    /// Applies Database/Migrations/*.sql in the background at startup and keeps /health
    /// Unhealthy until they are applied, so the orchestrator sends no traffic to an old schema.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<MigrationsHealthCheck>(
            "database-migrations", tags: [DefaultHealthCheckExtensions.ReadyTag]);

        return builder;
    }
}
