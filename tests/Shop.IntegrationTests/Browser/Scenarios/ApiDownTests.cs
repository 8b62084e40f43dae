using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

/// <summary>"web-no-api" is a web replica whose API address answers nothing: the API is down for it.</summary>
[Collection(StorefrontCollection.Name)]
public class ApiDownTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    [Theory]
    [InlineData("/", "13-api-down-catalog")]
    [InlineData("/products/0193a1c0-0000-7000-8000-00000000abcd", "14-api-down-product")]
    public async Task With_the_API_down_a_page_says_so_in_plain_words_with_a_retry_and_no_stack_trace(string path, string screenshot)
    {
        var page = await Stack.NewPageAsync(StorefrontFixture.WebWithoutApi);

        var response = await page.GotoAsync(path);

        Assert.NotNull(response);
        var notice = page.GetByTestId("api-unavailable");
        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToContainTextAsync("unavailable right now");
        await Expect(notice.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Try again" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));
        var html = await page.ContentAsync();
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, screenshot);
    }

    [Fact]
    public async Task With_the_API_down_signing_in_says_so_and_keeps_the_form()
    {
        var page = await Stack.NewPageAsync(StorefrontFixture.WebWithoutApi);
        await page.GotoAsync("/signin");
        await page.GetByTestId("email").FillAsync("someone@example.test");
        await page.GetByTestId("password").FillAsync("whatever-password");

        await page.GetByTestId("sign-in").ClickAsync();

        await Expect(page.GetByTestId("api-unavailable")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
        Assert.DoesNotContain("Exception", await page.ContentAsync(), StringComparison.Ordinal);
    }
}
