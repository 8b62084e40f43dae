using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Infrastructure;

/// <summary>What a shopper does with the storefront, in the browser, step by step.</summary>
public static class ShopperSteps
{
    public const string Password = "correct horse battery";

    public static string UniqueEmail() => $"shopper-{Guid.NewGuid():N}@example.test";

    /// <summary>Signs up through the sign-up page; the header then greets the shopper.</summary>
    /// <remarks>
    /// On a loaded machine the API can take longer than the storefront's 10 s budget for a write
    /// (password hashing, a cold process); the page then says the shop is unavailable. Like a
    /// shopper, this tries again (twice at most), with a fresh address (the first attempt may have created
    /// the account).
    /// </remarks>
    public static async Task<string> SignUpAsync(this IPage page, string displayName)
    {
        for (var attempt = 1; ; attempt++)
        {
            var email = UniqueEmail();
            await page.GotoAsync("/signup");
            await page.GetByTestId("display-name").FillAsync(displayName);
            await page.GetByTestId("email").FillAsync(email);
            await page.GetByTestId("password").FillAsync(Password);
            await page.GetByTestId("sign-up").ClickAsync();
            var greeted = page.Locator(".site-header").Filter(new() { HasText = displayName });
            var unavailable = page.GetByTestId("api-unavailable");
            await Expect(greeted.Or(unavailable)).ToBeVisibleAsync();
            if (attempt < 3 && await unavailable.IsVisibleAsync())
            {
                continue;
            }
            await Expect(page.Locator(".site-header")).ToContainTextAsync(displayName);
            return email;
        }
    }

    public static async Task SignInAsync(this IPage page, string email, string password, string expectedName)
    {
        await page.GotoAsync("/signin");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.Locator(".site-header")).ToContainTextAsync(expectedName);
    }

    /// <summary>
    /// Puts one of the product in the cart from its page and places the order at checkout;
    /// returns the order's id from the order page it lands on.
    /// </summary>
    public static async Task<Guid> CheckOutAsync(this IPage page, Guid productId)
    {
        // The product page reads the API too; a page that stays unavailable still fails on the click.
        await page.GotoAsync($"/products/{productId}");
        await page.RetryWhileApiUnavailableAsync(page.GetByTestId("add-to-cart"), () => page.GotoAsync($"/products/{productId}"));
        await page.GetByTestId("add-to-cart").ClickAsync();
        // When the API does not answer a cart write within the storefront's budget (a cold stack
        // on a loaded machine), the page says so and asks to try again in a moment: a shopper
        // would, so this step does, twice at most; a cart that stays unavailable still fails.
        for (var retry = 0; retry < 2; retry++)
        {
            await page.GetByTestId("cart-feedback").WaitForAsync();
            if (!page.Url.Contains("cart=unavailable", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
            await page.GetByTestId("add-to-cart").ClickAsync();
        }
        await Expect(page.GetByTestId("cart-feedback")).ToContainTextAsync("Added to your cart");
        await page.GotoAsync("/checkout");
        await page.GetByTestId("place-order").ClickAsync();
        await page.WaitForURLAsync(new Regex("/orders/[0-9a-f-]{36}"));
        // The order page reads the new order back from the API (seen missing the 5 s read budget
        // while three stacks ran their heaviest tests at once).
        await page.RetryWhileApiUnavailableAsync(page.GetByTestId("order-status"), () => page.ReloadAsync());
        return Guid.Parse(new Uri(page.Url).Segments[^1]);
    }

    /// <summary>
    /// Waits until the page shows <paramref name="content"/>. When it says the API is unavailable
    /// instead (the API missed the storefront's budget on a loaded machine), a shopper tries again
    /// in a moment, as this does (twice at most, <paramref name="tryAgain"/>); a page still
    /// unavailable after that is left for the caller's next step to fail on.
    /// </summary>
    private static async Task RetryWhileApiUnavailableAsync(this IPage page, ILocator content, Func<Task> tryAgain)
    {
        var unavailable = page.GetByTestId("api-unavailable");
        for (var retry = 0; ; retry++)
        {
            await Expect(content.Or(unavailable)).ToBeVisibleAsync();
            if (retry == 2 || !await unavailable.IsVisibleAsync())
            {
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
            await tryAgain();
        }
    }

    /// <summary>Searches the catalog with the search box (a plain GET form).</summary>
    public static async Task SearchAsync(this IPage page, string text)
    {
        await page.GotoAsync("/");
        await page.GetByTestId("search-box").FillAsync(text);
        await page.GetByTestId("search-button").ClickAsync();
        // Enhanced navigation changes the URL before it patches the page: wait for the results themselves.
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("results-for")).ToContainTextAsync(text);
    }

    /// <summary>True once the picture has really loaded (a broken image has no natural width).</summary>
    public static Task<bool> ImageLoadedAsync(this ILocator image) =>
        image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0");

    /// <summary>
    /// Reloads until <paramref name="locator"/> shows <paramref name="text"/>: for data the API
    /// may cache for a moment by design (catalog reads, about a second after an admin change).
    /// </summary>
    public static async Task ReloadUntilTextAsync(this IPage page, ILocator locator, string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await locator.CountAsync() > 0 && (await locator.First.InnerTextAsync()).Trim() == text)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                await Expect(locator.First).ToHaveTextAsync(text); // fails with Playwright's own message
                return;
            }
            await Task.Delay(300);
            await page.ReloadAsync();
            await page.WaitForLoadStateAsync(LoadState.Load);
        }
    }

    /// <summary>Marks the document; the mark survives only if the page is never reloaded.</summary>
    public static Task MarkDocumentAsync(this IPage page) => page.EvaluateAsync("() => { window.__sameDocument = true; }");

    public static Task<bool> IsSameDocumentAsync(this IPage page) => page.EvaluateAsync<bool>("() => window.__sameDocument === true");
}
