using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

/// <summary>The real thing: Aspire stops both API replicas (the dashboard's stop command); the web replicas stay up.</summary>
[Collection(StorefrontCollection.Name)]
public class ApiStoppedTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    [Fact]
    public async Task With_the_API_stopped_the_catalog_says_so_and_try_again_works_once_it_is_back()
    {
        var productName = $"Comeback clock {Guid.NewGuid():N}"[..23];
        await Stack.CreateProductAsync(productName, 14.00m);
        var page = await Stack.NewPageAsync();
        await page.SearchAsync(productName);
        await Expect(page.GetByTestId("product-card")).ToHaveCountAsync(1);

        await Stack.Shop.Resources.StopAsync("api");
        try
        {
            await page.ReloadAsync();
            var notice = page.GetByTestId("api-unavailable");
            await Expect(notice).ToBeVisibleAsync();
            await Expect(notice).ToContainTextAsync("The catalog is unavailable right now");
            Assert.DoesNotContain("Exception", await page.ContentAsync(), StringComparison.Ordinal);
            await Screenshots.SaveAsync(page, "18-api-stopped");
        }
        finally
        {
            await Stack.Shop.Resources.StartAsync("api");
        }

        await page.GetByTestId("api-unavailable").GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Try again" }).ClickAsync();
        await Expect(page.GetByTestId("product-card")).ToContainTextAsync(productName);
    }
}
