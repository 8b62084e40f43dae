using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.BrowserTests.Scenarios;

/// <summary>
/// The storefront's security headers, and proof in Chromium that its Content-Security-Policy
/// leaves every page working: streaming, enhanced navigation, forms with antiforgery tokens and
/// the live order status (an interactive server component on its WebSocket), with no violation.
/// </summary>
[Collection(StorefrontCollection.Name)]
public class SecurityHeadersTests(StorefrontFixture stack) : StorefrontTest(stack)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/no-such-page")]
    public async Task Every_page_forbids_framing_sniffing_foreign_scripts_and_leaking_its_url(string path)
    {
        using var web = Stack.CreateHttpClient("web");

        using var response = await web.GetAsync(path);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        // Plain HTTP: no HSTS (a browser would ignore it, and it must never pin localhost).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_is_sent_only_when_the_shopper_came_over_tls()
    {
        using var web = Stack.CreateHttpClient("web");
        // As a TLS-terminating proxy in front of the web forwards it (the web trusts loopback proxies).
        using var overTls = new HttpRequestMessage(HttpMethod.Get, "/");
        overTls.Headers.Host = "shop.example.test";
        overTls.Headers.Add("X-Forwarded-Proto", "https");
        using var overHttp = new HttpRequestMessage(HttpMethod.Get, "/");
        overHttp.Headers.Host = "shop.example.test";

        using var tls = await web.SendAsync(overTls);
        using var plain = await web.SendAsync(overHttp);

        Assert.Equal(HttpStatusCode.OK, tls.StatusCode);
        Assert.StartsWith("max-age=", Header(tls, "Strict-Transport-Security"), StringComparison.Ordinal);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task A_shopping_trip_to_the_live_order_page_runs_under_the_policy_with_no_violation()
    {
        var productName = $"CSP kettle {Guid.NewGuid():N}"[..19];
        var productId = await Stack.CreateProductAsync(productName, 21.00m, stock: 3);
        var page = await Stack.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (problems)
                {
                    problems.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add($"page error: {error}");
            }
        };
        var sockets = new List<string>();
        page.WebSocket += (_, socket) =>
        {
            lock (sockets)
            {
                sockets.Add(socket.Url);
            }
        };
        // Added by Playwright outside the page's policy: records every violation the page reports.
        await page.Context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e =>
                window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));
            """);

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await page.SignUpAsync("Policy Shopper"); // a form post with an antiforgery token
        await page.SearchAsync(productName); // enhanced navigation
        await page.GetByTestId("product-card").GetByRole(AriaRole.Link, new() { Name = productName }).ClickAsync();
        await Expect(page.GetByTestId("product-name")).ToHaveTextAsync(productName);
        await page.GetByTestId("add-to-cart").ClickAsync();
        await Expect(page.GetByTestId("cart-feedback")).ToContainTextAsync("Added to your cart");
        await page.GotoAsync("/checkout");
        await page.GetByTestId("place-order").ClickAsync();
        await page.WaitForURLAsync(new Regex("/orders/[0-9a-f-]{36}"));
        var orderId = Guid.Parse(new Uri(page.Url).Segments[^1]);
        await Expect(page.GetByTestId("live-indicator")).ToBeVisibleAsync();

        // The interactive component still updates in place over its circuit.
        await Stack.PublishOrderStatusChangedAsync(orderId, Guid.Empty, "payment_failed", DateTime.UtcNow.AddHours(1));
        await Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "payment_failed");
        await Screenshots.SaveAsync(page, "24-order-live-under-csp");

        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.Empty(violations);
        Assert.Empty(problems);
        Assert.Contains(sockets, url => url.StartsWith("ws://", StringComparison.Ordinal) && url.Contains("/_blazor", StringComparison.Ordinal));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues)
        : throw new Xunit.Sdk.XunitException($"No {name} header on {response.RequestMessage?.RequestUri}");
}
