using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Shop.Api.Users;

/// <summary>
/// Creates (or resets) the admin named in configuration once the schema exists, so a fresh stack
/// has someone who can manage the catalog. Replicas doing it at once is harmless: it is an upsert.
/// </summary>
internal sealed partial class AdminBootstrap(
    IOptions<AuthOptions> options,
    MigrationState migrations,
    UserRepository users,
    IPasswordHasher<UserAccount> hasher,
    ILogger<AdminBootstrap> logger) : AfterMigrationsService(migrations)
{
    protected override async Task ExecuteAfterMigrationsAsync(CancellationToken stoppingToken)
    {
        var admin = options.Value.Admin;
        if (string.IsNullOrWhiteSpace(admin.Email) || string.IsNullOrEmpty(admin.Password))
        {
            LogNoAdmin();
            return;
        }

        var account = new UserAccount(Guid.CreateVersion7(), admin.Email.Trim(), "Administrator", Roles.Admin, "", DateTime.UtcNow);
        await users.UpsertAdminAsync(account with { PasswordHash = hasher.HashPassword(account, admin.Password) }, stoppingToken);
        LogAdminReady(account.Email);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin account {Email} is ready.")]
    private partial void LogAdminReady(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Auth:Admin:Email/Password configured: nobody can manage the catalog.")]
    private partial void LogNoAdmin();
}
