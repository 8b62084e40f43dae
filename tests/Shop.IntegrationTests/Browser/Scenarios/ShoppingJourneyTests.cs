using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

[Collection(StorefrontCollection.Name)]
public class ShoppingJourneyTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    private static readonly TimeSpan PaymentBudget = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_new_shopper_signs_up_browses_searches_checks_out_and_sees_the_order_become_paid_live()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var productName = $"Journey kettle {token}";
        await Stack.CreateProductAsync(productName, 24.50m, stock: 5, categorySlug: "kitchen");
        var page = await Stack.NewPageAsync();

        await page.SignUpAsync($"Journey {token}");

        // Browse: newest first, so the product is on the first page.
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("product-card").Filter(new() { HasText = productName })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "01-catalog");

        // Search.
        await page.SearchAsync(token);
        var results = page.GetByTestId("product-card");
        await Expect(results).ToHaveCountAsync(1);
        await Expect(results).ToContainTextAsync(productName);
        await Screenshots.SaveAsync(page, "02-search");

        // Product page: picture, price, stock.
        await results.GetByRole(AriaRole.Link, new() { Name = productName }).ClickAsync();
        await Expect(page.GetByTestId("product-name")).ToHaveTextAsync(productName);
        // The product's own price (recommendations below it show theirs too).
        await Expect(page.Locator("[data-testid=price].big")).ToHaveTextAsync("24.50 EUR");
        await Expect(page.GetByTestId("stock")).ToHaveTextAsync("In stock: 5");
        Assert.True(await page.GetByTestId("product-picture").ImageLoadedAsync(), "the product picture did not load");
        await Screenshots.SaveAsync(page, "03-product");

        // Add to cart.
        await page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(page.GetByTestId("cart-feedback")).ToContainTextAsync("Added to your cart");

        await page.GotoAsync("/cart");
        await Expect(page.GetByTestId("cart-line")).ToContainTextAsync(productName);
        await Expect(page.GetByTestId("cart-total")).ToHaveTextAsync("24.50 EUR");
        await Screenshots.SaveAsync(page, "04-cart");

        // Check out.
        await page.GetByTestId("go-to-checkout").ClickAsync();
        await Screenshots.SaveAsync(page, "05-checkout");
        await page.GetByTestId("place-order").ClickAsync();
        await page.WaitForURLAsync(new Regex("/orders/[0-9a-f-]{36}"));
        await Expect(page.GetByTestId("order-total")).ToHaveTextAsync("24.50 EUR");
        await Expect(page.GetByTestId("live-indicator")).ToBeVisibleAsync();
        await page.MarkDocumentAsync();
        await Screenshots.SaveAsync(page, "06-order-placed");

        // The worker takes the payment; the page follows without a reload. An app model without
        // the payment provider (before the async-orders work) has nobody to pay: the test then
        // publishes the worker's event itself, so the push path is still what is tested.
        if (!Stack.HasPaymentFlow)
        {
            var orderId = Guid.Parse(new Uri(page.Url).Segments[^1]);
            await Stack.PublishOrderStatusChangedAsync(orderId, Guid.Empty, "paid", DateTime.UtcNow);
        }
        await Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "paid",
            new() { Timeout = (float)PaymentBudget.TotalMilliseconds });
        Assert.True(await page.IsSameDocumentAsync(), "the order page was reloaded; the status should have changed in place");
        await Screenshots.SaveAsync(page, "07-order-paid");

        // The cart was emptied by the checkout, and the order is in the shopper's list.
        await page.GotoAsync("/cart");
        await Expect(page.GetByTestId("cart-empty")).ToBeVisibleAsync();
        await page.GotoAsync("/orders");
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        if (Stack.HasPaymentFlow)
        {
            await Expect(page.GetByTestId("order-row")).ToContainTextAsync("Paid"); // from the API this time
        }
        await Screenshots.SaveAsync(page, "08-my-orders");
    }

    /// <summary>
    /// The API's 409 for stock is told apart by its problem type (not its words) from the 409 of
    /// a checkout still running, which would invite a retry with the same key.
    /// </summary>
    [Fact]
    public async Task A_checkout_asking_for_more_than_is_in_stock_says_so_and_does_not_offer_a_retry()
    {
        var productName = $"Scarce kettle {Guid.NewGuid():N}"[..22];
        var productId = await Stack.CreateProductAsync(productName, 15.00m, stock: 2);
        var page = await Stack.NewPageAsync();
        await page.SignUpAsync("Scarce shopper");
        await page.GotoAsync($"/products/{productId}");
        await page.Locator("input[name=quantity]").FillAsync("2");
        await page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(page.GetByTestId("cart-feedback")).ToContainTextAsync("Added to your cart");

        // Someone else buys one first: the admin lowers the stock to 1.
        using (var admin = await Stack.CreateAdminApiClientAsync())
        {
            using var update = await admin.PutAsJsonAsync($"/api/v1/products/{productId}",
                new { name = productName, categorySlug = "kitchen", price = 15.00m, currency = "EUR", stock = 1 });
            update.EnsureSuccessStatusCode();
        }
        await page.GotoAsync("/checkout");
        await page.GetByTestId("place-order").ClickAsync();

        var error = page.GetByTestId("checkout-error");
        await Expect(error).ToContainTextAsync("Not enough stock");
        await Expect(error).ToContainTextAsync(productName);
        await Expect(error).Not.ToContainTextAsync("Trying again is safe");
        await Screenshots.SaveAsync(page, "checkout-out-of-stock");
    }

    [Fact]
    public async Task A_shopper_can_sign_out_and_sign_back_in()
    {
        var page = await Stack.NewPageAsync();
        var email = await page.SignUpAsync("Roundtrip Shopper");

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.Locator(".site-header")).ToContainTextAsync("Sign in");
        await Expect(page.Locator(".site-header")).Not.ToContainTextAsync("Roundtrip Shopper");

        await page.GotoAsync("/signin");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync("not the password");
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("email or password is not right");
        await Screenshots.SaveAsync(page, "09-sign-in-error");

        await page.SignInAsync(email, ShopperSteps.Password, "Roundtrip Shopper");
    }

    [Fact]
    public async Task Pages_of_the_shopper_send_anonymous_visitors_to_sign_in_and_back()
    {
        var page = await Stack.NewPageAsync();

        await page.GotoAsync("/orders");

        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal));
        Assert.Contains("ReturnUrl=%2Forders", page.Url, StringComparison.OrdinalIgnoreCase);
    }
}
