using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Shop.Benchmarks.Common;
using Shop.Testing;
using ShopAspire.NativeServers.Postgres;

namespace Shop.Benchmarks.OrderCost;

/// <summary>
/// The stack under measurement: the AppHost's whole model (api and worker with their replicas,
/// payments, mail, postgres, redis, rabbitmq) with throwaway data and native servers, so every
/// process of it is a descendant of this one and /proc has its CPU time; or a running stack.
/// The storefront and Prometheus are left out: nothing in an order's path uses them.
/// </summary>
public sealed class OrderCostStack : IAsyncDisposable
{
    private static readonly string[] LeftOut = ["web", ShopApp.MonitoringResource];

    private OrderCostStack(ShopApp? app, Uri api, string shopDb, string postgres, int rootPid, bool statementStatistics)
    {
        App = app;
        Api = api;
        ShopDb = shopDb;
        Postgres = postgres;
        RootPid = rootPid;
        StatementStatistics = statementStatistics;
    }

    /// <summary>The stack this benchmark started; null when it measures a running one.</summary>
    public ShopApp? App { get; }

    /// <summary>The api's address (DCP's proxy in front of its replicas).</summary>
    public Uri Api { get; }

    public string ShopDb { get; }

    /// <summary>A superuser connection string of the same server, database postgres.</summary>
    public string Postgres { get; }

    /// <summary>The AppHost's process: the stack is its descendants and its DCP's; 0 when unknown (no CPU figures).</summary>
    public int RootPid { get; }

    /// <summary>Whether the server was started with pg_stat_statements preloaded.</summary>
    public bool StatementStatistics { get; }

    public static async Task<OrderCostStack> StartAsync(OrderCostOptions options)
    {
        if (options.Api is not null)
        {
            return new OrderCostStack(null, options.Api, options.ShopDb!, options.Postgres!,
                options.StackPid ?? 0, statementStatistics: false);
        }

        var app = await BenchmarkStack.StartAsync<Projects.ShopAspire_AppHost>(
            LeftOut,
            ["api", "worker", "payments", "mail"],
            TimeSpan.FromMinutes(6),
            configure: builder =>
            {
                if (options.ProfileDirectory is not null &&
                    builder.Resources.OfType<NativePostgresServerResource>().SingleOrDefault() is { } postgres)
                {
                    // The native server takes extra `-c` options after the AppHost's own (its
                    // launcher passes them to postgres), so the statistics need no change to the
                    // app model; only a profiling run pays for them.
                    builder.CreateResourceBuilder(postgres).WithArgs(
                        "-c", "shared_preload_libraries=pg_stat_statements",
                        "-c", "pg_stat_statements.track=all");
                }
            },
            // Native servers: their processes descend from this one, where /proc has their CPU
            // time (a container's would sit under the container runtime's daemon).
            args: ["--ShopAspire:Servers=native"]);
        try
        {
            var api = app.App.GetEndpoint("api", "http");
            var shopDb = await app.ConnectionStringAsync("shopdb");
            var postgres = await app.ConnectionStringAsync("postgres") + ";Database=postgres";
            return new OrderCostStack(app, api, shopDb, postgres, Environment.ProcessId, options.ProfileDirectory is not null);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The process ids DCP reports for a resource's instances (the `dotnet run` of a project,
    /// whose child is the service itself); empty for a running stack.
    /// </summary>
    public IReadOnlyList<int> ProcessIdsOf(string resourceName) =>
        App is null ? [] : [.. App.Instances.Of(resourceName).Select(App.Resources.ProcessIdOf).OfType<int>()];

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}
