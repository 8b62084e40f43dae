extern alias ShopApi;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Shop.Api hosted inside the test process, configured like the stack's "api" (same Postgres,
/// Redis and RabbitMQ), so a test can observe what the API itself does, e.g. count its SQL
/// commands with <see cref="NpgsqlCommandCounter"/>.
/// </summary>
public sealed class InProcessApi(ShopStackFixture stack) : WebApplicationFactory<ShopApi::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var environment = stack.Shop.EnvironmentOfAsync("api").GetAwaiter().GetResult();
        foreach (var (key, value) in environment.Where(e => e.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || e.Key.StartsWith("Auth__", StringComparison.Ordinal)))
        {
            builder.UseSetting(key.Replace("__", ":", StringComparison.Ordinal), value);
        }
    }
}
