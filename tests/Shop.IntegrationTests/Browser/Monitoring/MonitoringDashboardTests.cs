using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Monitoring;

/// <summary>
/// The operator's dashboards (Prometheus console templates started by the AppHost) opened in
/// Chromium while orders flow: each chart that must have data draws it. Screenshots:
/// monitoring-red.png, monitoring-business.png, monitoring-infrastructure.png.
/// </summary>
[Collection(StorefrontCollection.Name)]
public class MonitoringDashboardTests(StorefrontFixture stack, ITestOutputHelper output) : StorefrontTest(stack)
{
    // Scraped every 5 s; the business sampler reads pending orders and top products every 30 s.
    private static readonly TimeSpan MetricsBudget = TimeSpan.FromSeconds(120);

    /// <summary>Per dashboard, the charts that must show data while orders flow.</summary>
    private static readonly Dictionary<string, string[]> ChartsWithData = new(StringComparer.Ordinal)
    {
        ["red"] = ["Requests per second", "p95 latency (alert above 500 ms)", "Requests per second by endpoint", "p99 latency by endpoint"],
        ["business"] = ["Orders placed per minute", "Revenue per minute (paid), by currency", "Payments per minute by outcome",
            "Checkout conversion (orders / carts started, 15 min)", "Pending orders", "Top products (units ordered in the last hour)"],
        ["infrastructure"] = ["Database connections in use", "Cache hit ratio by layer (api)", "Queue depth (ready messages)",
            "Messages settled per second by outcome", "Outbox backlog (unsent messages)", "GC heap size", "Thread pool threads"],
    };

    [Fact]
    public async Task The_red_business_and_infrastructure_dashboards_chart_orders_as_they_flow()
    {
        using var prometheus = new PrometheusClient(Stack.CreateHttpClient("monitoring"));
        var productName = $"Charted kettle {Guid.NewGuid():N}"[..22];
        var productId = await Stack.CreateProductAsync(productName, 12.50m, stock: 10_000);
        using var shopper = await ApiShopper.SignUpAsync(Stack.CreateHttpClient("api"));
        using var catalog = Stack.CreateHttpClient("api");
        using var stop = new CancellationTokenSource();
        var ordered = 0;
        var flow = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    (await catalog.GetAsync($"/api/v1/products/{productId}")).Dispose(); // through the catalog cache
                    await shopper.BuyAsync(productId, quantity: 2);
                    Interlocked.Increment(ref ordered);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    output.WriteLine($"order stream: {ex.Message}"); // a busy machine; the next one goes on
                }
                await Task.Delay(250);
            }
        });
        try
        {
            // Prometheus has scraped what the dashboards chart: this product among the best
            // sellers, orders placed and paid, the worker's queues.
            await Poll.UntilAsync(async () => new
            {
                Placed = await prometheus.ScalarAsync("sum(shop_orders_placed_total)") ?? 0,
                Paid = await prometheus.ScalarAsync("sum(shop_payments_outcomes_total{outcome=\"paid\"})") ?? 0,
                TopProducts = (await prometheus.QueryAsync("shop_products_top_units")).Select(s => s.Labels["product"]).ToArray(),
                Queues = (await prometheus.QueryAsync("shop_queue_depth")).Count,
            }, seen => [
                .. seen.Placed >= 10 ? [] : new[] { $"10 orders placed (seen {seen.Placed})" },
                .. seen.Paid >= 5 ? [] : new[] { $"5 orders paid (seen {seen.Paid})" },
                .. seen.TopProducts.Contains(productName) ? [] : new[] { $"{productName} among the top products (seen {string.Join(", ", seen.TopProducts)})" },
                .. seen.Queues > 0 ? [] : new[] { "queue depths" },
            ], MetricsBudget, TimeSpan.FromSeconds(1));

            foreach (var (dashboard, charts) in ChartsWithData)
            {
                var page = await NewPageAsync();
                await page.GotoAsync(new Uri(prometheus.BaseAddress, $"/consoles/{dashboard}.html").ToString());
                await Expect(page.GetByTestId("time-window")).ToBeVisibleAsync();
                foreach (var title in charts)
                {
                    // prom_console.js draws a chart as SVG once its range query answers, or writes
                    // "No timeseries returned" into the same node.
                    var chart = page.Locator("div", new() { Has = page.Locator($"h4:text-is(\"{title}\")") }).Locator(".shop-graph").First;
                    await Expect(chart.Locator("svg").First).ToBeVisibleAsync();
                    await Expect(chart).Not.ToContainTextAsync("No timeseries returned");
                }
                if (dashboard == "business")
                {
                    await Expect(page.GetByText(productName).First).ToBeVisibleAsync(); // the top products' legend
                }
                if (dashboard == "infrastructure")
                {
                    await Expect(page.GetByTestId("dependency-health")).ToContainTextAsync("PostgreSql");
                }
                await Screenshots.SaveAsync(page, $"monitoring-{dashboard}");
                await page.Context.CloseAsync();
            }
            output.WriteLine($"{ordered} orders placed while the dashboards were checked; screenshots in {Screenshots.Directory}");
        }
        finally
        {
            await stop.CancelAsync();
            await flow;
        }
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await Stack.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        return await context.NewPageAsync();
    }
}
