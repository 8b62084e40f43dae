using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Shop.Api.Orders;
using Shop.IntegrationTests.Infrastructure;
using ShopAspire.Hosting;

namespace Shop.IntegrationTests.Orders;

/// <summary>
/// Shop.Api hosted inside the test process, wired to the stack's real Postgres, Redis and
/// RabbitMQ with the stack's signing key, so the test can watch what the API sends to Postgres:
/// every Npgsql command is an Activity on Npgsql's ActivitySource.
/// </summary>
public sealed class InProcessApi : WebApplicationFactory<OrderQueries>
{
    private readonly Dictionary<string, string> _settings;

    private InProcessApi(Dictionary<string, string> settings) => _settings = settings;

    public static async Task<InProcessApi> StartAsync(ShopStackFixture stack)
    {
        string Parameter(string name) => stack.App.Resources.OfType<ParameterResource>().Single(p => p.Name == name).Value;
        var api = new InProcessApi(new Dictionary<string, string>
        {
            ["ConnectionStrings:shopdb"] = await stack.ConnectionStringAsync("shopdb"),
            ["ConnectionStrings:cache"] = await stack.ConnectionStringAsync("cache"),
            ["ConnectionStrings:messaging"] = await stack.ConnectionStringAsync("messaging"),
            ["Auth:SigningKey"] = Parameter("jwt-signing-key"),
            ["Auth:Admin:Email"] = stack.AdminCredentials.Email,
            ["Auth:Admin:Password"] = stack.AdminCredentials.Password,
        });
        api.StartServer();
        return api;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// Sends one request inside a fresh trace and returns the SQL commands (statements with their text) the API ran for it
    /// (only that trace's, so other tests and background jobs do not count).
    /// </summary>
    public async Task<(HttpResponseMessage Response, IReadOnlyList<string> Commands)> SendCountingCommandsAsync(HttpRequestMessage request, string accessToken)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var commands = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Commands carry their SQL text; Npgsql's physical-connection "CONNECT" activities
                // (a cold pool opening a socket) do not, and are not per-query round trips.
                if (activity.Source.Name == "Npgsql" && activity.TraceId == traceId
                    && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
                {
                    commands.Enqueue(sql);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var http = CreateClient();
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, commands.ToArray());
    }
}
