using Microsoft.Playwright;

namespace Shop.BrowserTests.Infrastructure;

/// <summary>
/// Screenshots of the key pages, kept as test artifacts in tests/Shop.IntegrationTests/TestResults/screenshots
/// (or $SHOP_SCREENSHOTS_DIR), overwritten by each run.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = Resolve();

    public static async Task SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, $"{name}.png"), FullPage = true });
    }

    private static string Resolve()
    {
        if (Environment.GetEnvironmentVariable("SHOP_SCREENSHOTS_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }
        // From bin/<config>/<tfm>/ up to the project folder.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shop.IntegrationTests.csproj")))
            {
                return Path.Combine(dir.FullName, "TestResults", "screenshots");
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "screenshots");
    }
}
