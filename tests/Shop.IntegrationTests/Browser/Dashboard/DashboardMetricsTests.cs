using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Dashboard;

/// <summary>
/// Every service sends logs and metrics to the Aspire dashboard, and the shop's own meters are
/// there: outbox backlog and lag, cache requests by layer, consumer outcomes, queue depth and the
/// payment breaker's state. The telemetry API has no metrics endpoint, so the meters are read
/// from the dashboard's metrics page in Chromium. Screenshots: dashboard-resources.png and one
/// chart each of outbox lag, consumer outcomes and cache requests by layer.
/// </summary>
[Collection(StorefrontCollection.Name)]
public class DashboardMetricsTests(StorefrontFixture stack, ITestOutputHelper output) : StorefrontTest(stack)
{
    // Metrics are exported every second (OTEL_METRIC_EXPORT_INTERVAL=1000 in Development).
    private static readonly TimeSpan TelemetryBudget = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Instruments of the shop's own meters each service must show (on at least one of its replicas).</summary>
    private static readonly Dictionary<string, string[]> ShopInstruments = new(StringComparer.Ordinal)
    {
        // Shop.Api.Outbox: backlog and lag; Shop.Api.Caching: catalog reads by the layer that answered.
        ["api"] = ["shop.outbox.backlog", "shop.outbox.oldest_age", "shop.outbox.published", "shop.outbox.lag", "shop.cache.requests"],
        // Shop.Worker.Messaging: consumer outcomes and queue depth; Shop.Worker.Payments: the breaker.
        ["worker"] = ["shop.consumer.messages", "shop.consumer.duration", "shop.queue.depth", "shop.payments.breaker.state"],
    };

    [Fact]
    public async Task Every_service_sends_logs_and_metrics_and_the_shops_own_meters_are_in_the_dashboard()
    {
        var clock = Stopwatch.StartNew();
        // Something for each meter to count: a product created (outbox → broker → the worker's
        // catalog-activity consumer) and its page read through the catalog cache a few times.
        var productId = await Stack.CreateProductAsync($"Metered mug {Guid.NewGuid():N}"[..20], 9.50m);
        var shopper = await Stack.NewPageAsync();
        for (var i = 0; i < 3; i++)
        {
            await shopper.GotoAsync($"/products/{productId}");
            await Expect(shopper.GetByTestId("product-name")).ToBeVisibleAsync();
        }

        // Logs and metrics from every service (each replica is an entry of its own).
        // (smtp4dev, the mail resource, exports no telemetry: it is among the servers below.)
        string[] services = ["web", "api", "worker", "payments"];
        var resources = await Poll.UntilAsync(
            () => Stack.Dashboard.ResourcesAsync(),
            all => [.. services.Where(name => !all.Any(r => r.Name == name && r.HasLogs && r.HasMetrics)).Select(name => $"{name} with logs and metrics")],
            TelemetryBudget, PollInterval);
        output.WriteLine($"telemetry from: {string.Join(", ", resources.Select(r => $"{r.DisplayName} (logs {r.HasLogs}, traces {r.HasTraces}, metrics {r.HasMetrics})"))}");

        // Every resource with its state, the native servers included.
        // The page lists them once the dashboard's watch on the AppHost's resource service has
        // delivered; on a loaded machine that can take a while, so it is loaded again until then.
        var dashboard = await Stack.NewDashboardPageAsync("/", new ViewportSize { Width = 1600, Height = 1000 });
        string[] servers = ["postgres", "cache", "messaging", "mail", .. services];
        await Poll.UntilAsync(
            async () =>
            {
                await dashboard.GotoAsync("/");
                var running = dashboard.GetByRole(AriaRole.Row).Filter(new() { HasText = "Running" });
                try
                {
                    await running.First.WaitForAsync(new() { Timeout = 10_000 });
                }
                catch (TimeoutException)
                {
                    return [];
                }
                return await running.AllInnerTextsAsync();
            },
            // A row starts with the resource's name, or its instance's (api-abcd1234), then the state.
            rows => [.. servers.Where(name => !rows.Any(row => Regex.IsMatch(row, $@"^\s*{name}(-[a-z0-9]+)?\s"))).Select(name => $"{name} Running on the resources page")],
            TelemetryBudget, PollInterval);
        await Screenshots.SaveAsync(dashboard, "dashboard-resources");

        foreach (var (service, instruments) in ShopInstruments)
        {
            var instances = resources.Where(r => r.Name == service).Select(r => r.DisplayName).ToList();
            var shown = await Poll.UntilAsync(
                async () =>
                {
                    var union = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var instance in instances)
                    {
                        union.UnionWith(await InstrumentsShownAsync(dashboard, instance));
                    }
                    return union;
                },
                union => [.. instruments.Where(i => !union.Contains(i)).Select(i => $"{service}: {i}")],
                TelemetryBudget, PollInterval);
            output.WriteLine($"{service} ({string.Join(", ", instances)}): {string.Join(", ", shown.Where(i => i.StartsWith("shop.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))}");
        }

        // One chart each, as a developer would look at them.
        await ShowChartAsync(dashboard, resources, "api", "Shop.Api.Outbox", "shop.outbox.lag");
        await Screenshots.SaveAsync(dashboard, "dashboard-metrics-outbox-lag");
        await ShowChartAsync(dashboard, resources, "worker", "Shop.Worker.Messaging", "shop.consumer.messages");
        await Expect(dashboard.GetByText("outcome", new() { Exact = true }).First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(dashboard, "dashboard-metrics-consumer-outcomes");
        await ShowChartAsync(dashboard, resources, "api", "Shop.Api.Caching", "shop.cache.requests");
        await Expect(dashboard.GetByText("shop.cache.layer", new() { Exact = true }).First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(dashboard, "dashboard-metrics-cache");
        output.WriteLine($"done after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The instrument names in the metrics page's tree (items titled with the names) for one instance.</summary>
    private static async Task<IReadOnlyList<string>> InstrumentsShownAsync(IPage dashboard, string instance)
    {
        await dashboard.GotoAsync($"/metrics/resource/{Uri.EscapeDataString(instance)}");
        var items = dashboard.Locator("#metric-selector fluent-tree-item.nested");
        try
        {
            await items.First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            return []; // no metrics yet: asked again
        }
        return await items.EvaluateAllAsync<string[]>("items => items.map(i => i.getAttribute('title'))");
    }

    /// <summary>Opens one instrument's chart on the first instance of <paramref name="service"/> that has it.</summary>
    private static async Task ShowChartAsync(IPage dashboard, IReadOnlyList<TelemetryResource> resources, string service, string meter, string instrument)
    {
        foreach (var instance in resources.Where(r => r.Name == service).Select(r => r.DisplayName))
        {
            if (!(await InstrumentsShownAsync(dashboard, instance)).Contains(instrument))
            {
                continue;
            }
            await dashboard.GotoAsync($"/metrics/resource/{Uri.EscapeDataString(instance)}?meter={Uri.EscapeDataString(meter)}&instrument={Uri.EscapeDataString(instrument)}&duration=5&view=Graph");
            await Expect(dashboard.GetByRole(AriaRole.Heading, new() { Name = instrument })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            // Plotly has drawn at least one series.
            await Expect(dashboard.Locator(".plotly-chart-container .scatterlayer .trace").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
            return;
        }
        Assert.Fail($"No instance of {service} shows {instrument}.");
    }
}
