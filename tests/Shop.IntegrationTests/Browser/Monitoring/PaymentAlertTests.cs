using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Monitoring;

/// <summary>
/// The payment provider stops while orders come in: the payment alerts fire and the dashboards
/// show them; once it is back and the deferred payments go through, they clear by themselves.
/// Screenshot: monitoring-payment-alert.png.
/// </summary>
[Collection(StorefrontCollection.Name)]
public class PaymentAlertTests(StorefrontFixture stack, ITestOutputHelper output) : StorefrontTest(stack)
{
    private static readonly string[] PaymentAlerts = ["PaymentsFailing", "PaymentProviderCircuitOpen"];
    private static readonly TimeSpan AlertBudget = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Stopping_the_payment_provider_fires_the_payment_alert_and_it_clears_after_recovery()
    {
        using var prometheus = new PrometheusClient(Stack.CreateHttpClient("monitoring"));
        Assert.Superset(PaymentAlerts.ToHashSet(), (await prometheus.AlertRuleNamesAsync()).ToHashSet());
        var productId = await Stack.CreateProductAsync($"Unpaid teapot {Guid.NewGuid():N}"[..21], 19.00m, stock: 1_000);
        using var shopper = await ApiShopper.SignUpAsync(Stack.CreateHttpClient("api"));
        var orders = new List<Guid>();

        await Stack.Shop.Resources.StopAsync("payments");
        try
        {
            // Orders keep coming while the provider is away: each payment attempt fails and is deferred.
            var firing = await Poll.UntilAsync(async () =>
            {
                orders.Add(await shopper.BuyAsync(productId));
                return (await prometheus.AlertsAsync()).Where(a => a.State == "firing").Select(a => a.Name).ToArray();
            }, names => names.Intersect(PaymentAlerts).Any() ? [] : [$"a payment alert firing (firing: {string.Join(", ", names)})"],
                AlertBudget, TimeSpan.FromSeconds(2));
            output.WriteLine($"firing with the provider stopped, after {orders.Count} orders: {string.Join(", ", firing)}");

            var page = await (await Stack.Browser.NewContextAsync(new() { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } })).NewPageAsync();
            await page.GotoAsync(new Uri(prometheus.BaseAddress, "/consoles/business.html").ToString());
            var banner = page.GetByTestId("firing-alerts");
            await Expect(banner).ToBeVisibleAsync();
            await Expect(banner).ToContainTextAsync(firing.Intersect(PaymentAlerts).First());
            await Screenshots.SaveAsync(page, "monitoring-payment-alert");
            await page.Context.CloseAsync();
        }
        finally
        {
            await Stack.Shop.Resources.EnsureRunningAsync("payments");
        }

        // Back: the deferred payments go through, the breaker closes, and the alerts resolve.
        await Poll.UntilAsync(async () => new
        {
            Unpaid = (await Task.WhenAll(orders.Select(shopper.StatusOfAsync))).Count(s => s != "paid"),
            Firing = (await prometheus.AlertsAsync()).Select(a => a.Name).Intersect(PaymentAlerts).ToArray(),
        }, seen => [
            .. seen.Unpaid == 0 ? [] : new[] { $"{seen.Unpaid} of {orders.Count} orders still unpaid" },
            .. seen.Firing.Length == 0 ? [] : new[] { $"alerts still pending or firing: {string.Join(", ", seen.Firing)}" },
        ], AlertBudget, TimeSpan.FromSeconds(2));
        output.WriteLine($"all {orders.Count} orders paid and the payment alerts cleared after the provider came back");
    }
}
