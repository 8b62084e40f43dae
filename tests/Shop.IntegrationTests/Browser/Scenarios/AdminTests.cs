using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

[Collection(StorefrontCollection.Name)]
public class AdminTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    [Fact]
    public async Task An_admin_edits_a_price_and_the_catalog_shows_the_new_price()
    {
        var productName = $"Admin teapot {Guid.NewGuid():N}"[..21];
        await Stack.CreateProductAsync(productName, 30.00m);
        var page = await Stack.NewPageAsync();
        var (email, password) = Stack.AdminCredentials;
        await page.SignInAsync(email, password, "Administrator");

        await page.GotoAsync("/admin/products");
        var row = page.GetByTestId("admin-product-row").Filter(new() { HasText = productName });
        await Expect(row).ToContainTextAsync("30.00 EUR");
        await Screenshots.SaveAsync(page, "11-admin-products");
        await row.GetByTestId("edit-product").ClickAsync();
        await page.GetByTestId("product-price-input").FillAsync("27.45");
        await Screenshots.SaveAsync(page, "12-admin-edit");
        await page.GetByTestId("save-product").ClickAsync();
        await Expect(page.GetByTestId("admin-feedback")).ToContainTextAsync("Product saved");

        // The catalog (cached in the API, invalidated on writes) shows the new price.
        var shopper = await Stack.NewPageAsync();
        await shopper.SearchAsync(productName);
        await shopper.ReloadUntilTextAsync(
            shopper.GetByTestId("product-card").Filter(new() { HasText = productName }).GetByTestId("price"),
            "27.45 EUR", TimeSpan.FromSeconds(10));
        await Screenshots.SaveAsync(shopper, "12b-catalog-new-price");
    }

    [Fact]
    public async Task An_admin_adds_a_product_and_removes_it()
    {
        var productName = $"Admin vase {Guid.NewGuid():N}"[..19];
        var page = await Stack.NewPageAsync();
        var (email, password) = Stack.AdminCredentials;
        await page.SignInAsync(email, password, "Administrator");

        await page.GotoAsync("/admin/products/new");
        await page.GetByTestId("product-name-input").FillAsync(productName);
        await page.GetByTestId("product-category-input").SelectOptionAsync("garden");
        await page.GetByTestId("product-price-input").FillAsync("15.50");
        await page.GetByTestId("product-stock-input").FillAsync("4");
        await page.GetByTestId("save-product").ClickAsync();
        await Expect(page.GetByTestId("admin-feedback")).ToContainTextAsync("Product saved");
        var row = page.GetByTestId("admin-product-row").Filter(new() { HasText = productName });
        await Expect(row).ToContainTextAsync("15.50 EUR");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.GetByTestId("delete-product").ClickAsync();
        await Expect(page.GetByTestId("admin-feedback")).ToContainTextAsync("Product removed");
        await Expect(page.GetByTestId("admin-product-row").Filter(new() { HasText = productName })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_customer_cannot_open_the_admin_pages()
    {
        var page = await Stack.NewPageAsync();
        await page.SignUpAsync("Curious Shopper");

        await page.GotoAsync("/admin/products");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Not allowed");
    }
}
