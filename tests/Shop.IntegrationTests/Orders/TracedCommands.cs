using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Orders;

/// <summary>
/// Round trips per request: sends one request to the in-process API inside a fresh trace and
/// collects the SQL commands Npgsql ran in that trace (so other tests' and background jobs'
/// commands in this process do not count).
/// </summary>
public static class TracedCommands
{
    public static async Task<(HttpResponseMessage Response, IReadOnlyList<string> Commands)> SendCountingCommandsAsync(
        this InProcessApi api, HttpRequestMessage request, string accessToken)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var commands = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            // ASP.NET Core's request activity continues the traceparent sent below; Npgsql's
            // command activities are its children, so they carry the same trace id.
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Commands carry their SQL text; Npgsql's "CONNECT" activities (a cold pool
                // opening a socket) do not, and are not per-query round trips.
                if (activity.Source.Name == "Npgsql" && activity.TraceId == traceId
                    && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
                {
                    commands.Enqueue(sql);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var http = api.CreateClient();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, commands.ToArray());
    }
}
