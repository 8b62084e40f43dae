using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

/// <summary>
/// Recommendations are rolled out to 50% of shoppers (featureflags.json) and to every admin.
/// The targeting filter hashes a stable id, so each shopper's answer never changes.
/// </summary>
[Collection(StorefrontCollection.Name)]
public class FeatureFlagTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    private const int Visitors = 6;

    [Fact]
    public async Task Recommendations_are_sticky_per_visitor_on_every_replica()
    {
        var (productId, _) = await CreateTwoGardenProductsAsync();

        for (var visitor = 0; visitor < Visitors; visitor++)
        {
            var page = await Stack.NewPageAsync();
            var first = await SeesRecommendationsAsync(page, $"/products/{productId}");
            var again = await SeesRecommendationsAsync(page, $"/products/{productId}");
            var onOtherReplica = await SeesRecommendationsAsync(page,
                new Uri(Stack.BaseAddress(StorefrontFixture.SecondReplica), $"/products/{productId}").ToString());

            Assert.Equal(first, again);
            Assert.Equal(first, onOtherReplica);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Admins_are_in_the_recommendations_rollout()
    {
        var (productId, otherName) = await CreateTwoGardenProductsAsync();
        var page = await Stack.NewPageAsync();
        var (email, password) = Stack.AdminCredentials;
        await page.SignInAsync(email, password, "Administrator");

        await page.GotoAsync($"/products/{productId}");

        await Expect(page.GetByTestId("recommendations")).ToContainTextAsync(otherName);
        await Screenshots.SaveAsync(page, "17-product-with-recommendations");
    }

    private async Task<(Guid ProductId, string OtherName)> CreateTwoGardenProductsAsync()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var otherName = $"Garden rake {token}";
        await Stack.CreateProductAsync(otherName, 19.00m, categorySlug: "garden");
        var productId = await Stack.CreateProductAsync($"Garden hose {token}", 25.00m, categorySlug: "garden");
        return (productId, otherName);
    }

    private static async Task<bool> SeesRecommendationsAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Expect(page.GetByTestId("product-name")).ToBeVisibleAsync();
        return await page.GetByTestId("recommendations").CountAsync() > 0;
    }
}
