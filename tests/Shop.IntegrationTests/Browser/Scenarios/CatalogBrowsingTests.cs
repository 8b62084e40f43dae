using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

[Collection(StorefrontCollection.Name)]
public class CatalogBrowsingTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    private const int PageSize = 12; // the catalog page's size

    [Fact]
    public async Task Next_and_previous_walk_the_cursor_pages_of_a_search()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= PageSize + 2; i++)
        {
            await Stack.CreateProductAsync($"Pager item {token} {i:00}", 5m + i);
        }
        var page = await Stack.NewPageAsync();

        await page.SearchAsync(token);
        var cards = page.GetByTestId("product-card");
        await Expect(cards).ToHaveCountAsync(PageSize);
        await Expect(cards.First).ToContainTextAsync($"{token} 14"); // newest first
        await Expect(page.GetByTestId("previous-page")).ToHaveCountAsync(0);

        await page.GetByTestId("next-page").ClickAsync();
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(cards.Last).ToContainTextAsync($"{token} 01");
        await Expect(page.GetByTestId("next-page")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "19-catalog-page-2");

        await page.GetByTestId("previous-page").ClickAsync();
        await Expect(cards).ToHaveCountAsync(PageSize);
        await Expect(cards.First).ToContainTextAsync($"{token} 14");
        await Expect(page.GetByTestId("previous-page")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_category_filter_shows_only_that_category()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        await Stack.CreateProductAsync($"Filter pan {token}", 20m, categorySlug: "kitchen");
        await Stack.CreateProductAsync($"Filter spade {token}", 20m, categorySlug: "garden");
        var page = await Stack.NewPageAsync();
        await page.GotoAsync("/");

        await page.GetByTestId("search-box").FillAsync(token);
        await page.GetByTestId("category-filter").SelectOptionAsync("garden");
        await page.GetByTestId("search-button").ClickAsync();

        var cards = page.GetByTestId("product-card");
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(cards).ToContainTextAsync($"Filter spade {token}");
        await Expect(page.GetByTestId("category-filter")).ToHaveValueAsync("garden");
    }
}
