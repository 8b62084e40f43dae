using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

[Collection(StorefrontCollection.Name)]
public class ResponsiveTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task The_catalog_and_a_product_fit_a_phone_sized_window()
    {
        var productName = $"Phone mug {Guid.NewGuid():N}"[..18];
        var productId = await Stack.CreateProductAsync(productName, 9.90m);
        var page = await Stack.NewPageAsync(viewport: Phone);

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        Assert.False(await HasHorizontalScrollAsync(page), "the catalog is wider than a phone screen");
        await Screenshots.SaveAsync(page, "15-phone-catalog");

        await page.GotoAsync($"/products/{productId}");
        await Expect(page.GetByTestId("product-name")).ToHaveTextAsync(productName);
        Assert.True(await page.GetByTestId("product-picture").ImageLoadedAsync(), "the product picture did not load");
        Assert.False(await HasHorizontalScrollAsync(page), "the product page is wider than a phone screen");
        await Screenshots.SaveAsync(page, "16-phone-product");
    }

    private static Task<bool> HasHorizontalScrollAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
}
