using System.Diagnostics;
using System.Text;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Shop.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using SpanKind = Shop.BrowserTests.Infrastructure.TelemetrySpan.SpanKind;

namespace Shop.BrowserTests.Dashboard;

/// <summary>
/// A checkout placed in the storefront is ONE trace in the Aspire dashboard: web, api, the outbox
/// relay's publish to RabbitMQ, the worker's consumers, the payment provider and the SMTP send to
/// the mail server. smtp4dev sends no telemetry of its own: the dashboard names it as the peer of
/// the worker's "smtp send" span (aspire.destination, resolved from server.address/port).
/// Asserted through the dashboard's telemetry API (the AppHost's API key), then opened in
/// Chromium (its browser token) and saved as TestResults/screenshots/dashboard-trace.png.
/// </summary>
[Collection(StorefrontCollection.Name)]
public class DashboardTraceTests(StorefrontFixture stack, ITestOutputHelper output) : StorefrontTest(stack)
{
    // Spans are exported every second (the AppHost sets OTEL_BSP_SCHEDULE_DELAY=1000 in
    // Development); the budget is for a loaded 2-core machine, not for the export delay.
    private static readonly TimeSpan TelemetryBudget = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PaymentBudget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The peer resource the dashboard resolves for a span, added to what its API exports.</summary>
    private const string DestinationAttribute = "aspire.destination";

    private static readonly (string Hop, Func<TelemetrySpan, bool> Matches) Root =
        ("web: the storefront's POST /checkout", s => s is { Resource: "web", Kind: SpanKind.Server } && s.Name.Contains("/checkout", StringComparison.Ordinal));

    /// <summary>What the checkout's trace must hold: each hop, by resource, kind and name.</summary>
    private static readonly (string Hop, Func<TelemetrySpan, bool> Matches)[] Hops =
    [
        Root,
        ("web: placing the order", s => s is { Resource: "web", Kind: SpanKind.Internal, Name: "place order" }),
        ("web: its call to the api", s => s is { Resource: "web", Kind: SpanKind.Client } && s.Name.StartsWith("POST", StringComparison.Ordinal)),
        ("api: the checkout request", s => s is { Resource: "api", Kind: SpanKind.Server } && s.Attribute("shop.order.id") is not null),
        ("api: the outbox relay publishing orders.placed to RabbitMQ", s => s is { Resource: "api", Kind: SpanKind.Producer, Name: "orders.placed publish" }),
        ("worker: the payments consumer processing orders.placed", s => s is { Resource: "worker", Kind: SpanKind.Consumer, Name: "orders.placed process" } && s.Attribute("messaging.consumer.group.name") == "payments"),
        ("worker: the call to the payment provider", s => s is { Resource: "worker", Kind: SpanKind.Client } && s.Name.StartsWith("POST", StringComparison.Ordinal)),
        ("payments: the provider's POST /v1/charges", s => s is { Resource: "payments", Kind: SpanKind.Server } && s.Name.Contains("/v1/charges", StringComparison.Ordinal)),
        ("api: the outbox relay publishing orders.paid (written by the worker)", s => s is { Resource: "api", Kind: SpanKind.Producer, Name: "orders.paid publish" }),
        ("worker: the email consumer processing orders.paid", s => s is { Resource: "worker", Kind: SpanKind.Consumer, Name: "orders.paid process" } && s.Attribute("messaging.consumer.group.name") == "email"),
        ("worker: the SMTP send", s => s is { Resource: "worker", Kind: SpanKind.Client, Name: "smtp send" }),
    ];

    [Fact]
    public async Task One_checkout_in_the_storefront_is_one_trace_from_web_to_the_mail_server()
    {
        var clock = Stopwatch.StartNew();
        var productId = await Stack.CreateProductAsync($"Traced teapot {Guid.NewGuid():N}"[..22], 19.90m, stock: 5);
        var page = await Stack.NewPageAsync();
        await page.SignUpAsync("Traced Shopper");
        var orderId = await page.CheckOutAsync(productId);
        // Paid on the page: the worker has charged it; the confirmation mail follows.
        await Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "paid",
            new() { Timeout = (float)PaymentBudget.TotalMilliseconds });
        output.WriteLine($"order {orderId} placed and paid after {clock.Elapsed.TotalSeconds:0.0} s");

        var traceId = await FindTraceOfOrderAsync(orderId);
        var trace = await Poll.UntilAsync(
            () => Stack.Dashboard.TraceAsync(traceId),
            spans => [.. Hops.Where(h => !spans.Any(h.Matches)).Select(h => $"{h.Hop} (trace {traceId})")],
            TelemetryBudget, PollInterval,
            async spans => $"The trace has:\n{Describe(spans)}\n{await DiagnoseAsync(traceId)}");
        output.WriteLine($"trace {traceId} complete after {clock.Elapsed.TotalSeconds:0.0} s, {trace.Count} spans:\n{Describe(trace)}");

        // One trace, unbroken: one root (the storefront's request), every other span's parent in it.
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.True(Root.Matches(root), $"the trace should start at the storefront's POST /checkout, not at {root}");
        var ids = trace.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var orphans = trace.Where(s => s.ParentSpanId is { } parent && !ids.Contains(parent)).ToList();
        Assert.True(orphans.Count == 0, $"spans whose parent is not in the trace:\n{string.Join('\n', orphans)}");
        Assert.Superset(Set("web", "api", "worker", "payments"), Set([.. trace.Select(s => s.Resource)]));
        // The resources the trace crosses: those that sent spans, and the peers the dashboard
        // resolved for client and producer spans (the broker, the databases, the mail server).
        // The mail server sends no telemetry; the dashboard names the smtp send's peer by the
        // resource when it can match the address, else by the address, which is mail's smtp endpoint.
        var smtpSend = trace.First(s => s.Name == "smtp send");
        var mailSmtp = Stack.Shop.App.GetEndpoint("mail", "smtp");
        string[] mail = ["mail", $"{mailSmtp.Host}:{mailSmtp.Port}"];
        Assert.Contains(smtpSend.Attribute(DestinationAttribute), mail);
        var crossed = Set([.. trace.Select(s => s.Resource),
            .. trace.Select(s => s.Attribute(DestinationAttribute)).OfType<string>().Where(d => d.Length > 0).Select(d => mail.Contains(d) ? "mail" : d)]);
        output.WriteLine($"resources crossed: {string.Join(", ", crossed.Order(StringComparer.Ordinal))}");
        Assert.True(crossed.Count >= 6, $"the trace should cross at least six resources, not only {string.Join(", ", crossed)}");
        // The order's id tags its spans in web, api and worker: what a developer searches the dashboard by.
        var tagged = trace.Where(s => s.Attribute("shop.order.id") is not null).ToList();
        Assert.All(tagged, s => Assert.Equal(orderId.ToString(), s.Attribute("shop.order.id")));
        Assert.Superset(Set("web", "api", "worker"), Set([.. tagged.Select(s => s.Resource)]));

        // The same trace in the dashboard, as a developer opens it; tall enough for every row of
        // the waterfall (the page scrolls inside, so a full-page shot would not show them).
        var dashboard = await Stack.NewDashboardPageAsync(DashboardClient.TracePath(traceId),
            new ViewportSize { Width = 1600, Height = Math.Max(1000, 500 + (40 * trace.Count)) });
        await Expect(dashboard.GetByRole(AriaRole.Heading, new() { Name = "web: POST /checkout" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        foreach (var row in new[] { "place order", "POST /api/v1/orders", "POST /v1/charges", "smtp send" })
        {
            await Expect(dashboard.GetByRole(AriaRole.Gridcell).Filter(new() { HasText = row }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        }
        await Screenshots.SaveAsync(dashboard, "dashboard-trace");
        output.WriteLine($"{Path.Combine(Screenshots.Directory, "dashboard-trace.png")} saved after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The api's checkout span carries shop.order.id; its trace is the checkout's.</summary>
    private async Task<string> FindTraceOfOrderAsync(Guid orderId)
    {
        var id = orderId.ToString();
        var spans = await Poll.UntilAsync(
            async () =>
            {
                // The API filters by instance (api-abcd1234): replicas are resources of their own there.
                var instances = (await Stack.Dashboard.ResourcesAsync()).Where(r => r.Name == "api").Select(r => $"resource={Uri.EscapeDataString(r.DisplayName)}");
                return await Stack.Dashboard.SpansAsync($"/api/telemetry/spans?{string.Join('&', instances)}&limit=2000");
            },
            spans => spans.Any(s => s.Attribute("shop.order.id") == id) ? [] : [$"an api span with shop.order.id={id}"],
            TelemetryBudget, PollInterval);
        return spans.First(s => s.Attribute("shop.order.id") == id).TraceId;
    }

    /// <summary>For a failure message: the trace's spans by any resource, and each instance's latest spans.</summary>
    private async Task<string> DiagnoseAsync(string traceId)
    {
        var text = new StringBuilder();
        var byTraceId = await Stack.Dashboard.SpansAsync($"/api/telemetry/spans?traceId={traceId}&limit=10000");
        text.AppendLine($"spans?traceId: {byTraceId.Count} ({string.Join(", ", byTraceId.Select(s => s.Resource).Distinct())})");
        foreach (var instance in await Stack.Dashboard.ResourcesAsync())
        {
            var latest = await Stack.Dashboard.SpansAsync($"/api/telemetry/spans?resource={Uri.EscapeDataString(instance.DisplayName)}&limit=15");
            text.AppendLine($"{instance.DisplayName} latest: {string.Join(", ", latest.Select(s => $"{s.Name}@{s.TraceId[..8]}"))}");
        }
        return text.ToString();
    }

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);

    private static string Describe(IReadOnlyList<TelemetrySpan> trace) =>
        string.Join('\n', trace.GroupBy(s => s.Resource).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"  {g.Key} ({g.Count()}): {string.Join(", ", g.Select(s => $"{s.Name} [{s.Kind}]").Distinct())}"));
}
