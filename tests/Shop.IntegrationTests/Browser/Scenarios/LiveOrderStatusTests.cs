using System.Text.RegularExpressions;
using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

[Collection(StorefrontCollection.Name)]
public class LiveOrderStatusTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    [Fact]
    public async Task A_shopper_signed_in_on_one_replica_is_signed_in_on_the_other()
    {
        var page = await Stack.NewPageAsync();
        await page.SignUpAsync("Replica Shopper");

        // Same browser (same cookies), other replica: its auth cookie decrypts with the key ring
        // both replicas keep in Redis.
        await page.GotoAsync(new Uri(Stack.BaseAddress(StorefrontFixture.SecondReplica), "/cart").ToString());

        await Expect(page.Locator(".site-header")).ToContainTextAsync("Replica Shopper");
        await Expect(page.GetByTestId("cart-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_status_change_reaches_the_order_page_open_on_each_web_replica_without_a_reload()
    {
        var productName = $"Replica lamp {Guid.NewGuid():N}"[..21];
        var productId = await Stack.CreateProductAsync(productName, 12.00m, stock: 3);
        var onFirst = await Stack.NewPageAsync();
        await onFirst.SignUpAsync("Two Tabs");
        await onFirst.GotoAsync($"/products/{productId}");
        await onFirst.GetByTestId("add-to-cart").ClickAsync();
        await onFirst.GotoAsync("/checkout");
        await onFirst.GetByTestId("place-order").ClickAsync();
        await onFirst.WaitForURLAsync(new Regex("/orders/[0-9a-f-]{36}"));
        var orderPath = new Uri(onFirst.Url).PathAndQuery;
        var orderId = Guid.Parse(new Uri(onFirst.Url).Segments[^1]);

        // The same shopper has the order open on the second replica too (another tab).
        var onSecond = await onFirst.Context.NewPageAsync();
        await onSecond.GotoAsync(new Uri(Stack.BaseAddress(StorefrontFixture.SecondReplica), orderPath).ToString());
        foreach (var tab in new[] { onFirst, onSecond })
        {
            await Expect(tab.GetByTestId("live-indicator")).ToBeVisibleAsync();
            await tab.MarkDocumentAsync();
        }

        // A later change than anything the worker has said (whatever it has done by now).
        var customerId = Guid.Empty; // the page trusts the order id it was rendered for
        await Stack.PublishOrderStatusChangedAsync(orderId, customerId, "payment_failed", DateTime.UtcNow.AddHours(1));

        foreach (var tab in new[] { onFirst, onSecond })
        {
            await Expect(tab.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "payment_failed");
            await Expect(tab.GetByTestId("order-status")).ToHaveTextAsync("Payment failed");
            Assert.True(await tab.IsSameDocumentAsync(), "the order page was reloaded; the status should have changed in place");
        }
        await Screenshots.SaveAsync(onSecond, "10-order-live-on-second-replica");
    }
}
