using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Shop.IntegrationTests.Docs;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Orders;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Hostile;

/// <summary>
/// Generated hostile text sent to every route of the storefront (its pages and endpoints, read
/// from Shop.Web's source): in each query parameter a page reads (and one it does not), each
/// route value, and each field of every form the pages render (hidden ones included, posted as
/// the signed-in shopper or admin with a valid antiforgery token, urlencoded and multipart).
/// Every answer must be a 4xx (a 400 problem naming the field for queries and forms) and
/// nothing may be stored: no account, product, order, cart change or deletion.
/// </summary>
[Collection(ShopStackCollection.Name)]
public partial class WebHostileTextTests(ShopStackFixture stack, ITestOutputHelper output)
{
    private const int OverlongForm = 20_000;  // over ClientTextGuard's 16,000 for a form value
    private const int OverlongQuery = 3_000;  // over its 2,000 for a query value, under Kestrel's 8 KB request line

    [Fact]
    public async Task Hostile_text_in_any_query_route_or_form_field_of_the_storefront_is_a_400_and_nothing_is_stored()
    {
        var marker = $"hx{Guid.NewGuid():N}"[..12];
        var db = await ShopDatabase.ForAsync(stack);
        var productId = await db.CreateProductAsync(stock: 1000);
        using var customer = await stack.CreateCustomerClientAsync();
        (await customer.Http.PutAsJsonAsync($"/api/v1/cart/lines/{productId}", new { quantity = 1 })).EnsureSuccessStatusCode();
        var cartBefore = await customer.Http.GetStringAsync("/api/v1/cart");
        var webBase = stack.CreateHttpClient("web").BaseAddress!;
        using var anonymous = FuzzRun.CreateClient(webBase);
        var signingIn = new[] { SignInAsync(webBase, customer.Email, customer.Password), SignInAsync(webBase, stack.AdminCredentials.Email, stack.AdminCredentials.Password) };
        using var shopper = await signingIn[0];
        using var admin = await signingIn[1];
        var before = await StoredRows.CountAsync(db.ConnectionString);

        var routes = WebRoutes();
        (HttpClient Client, string Page)[] formPages =
        [
            (anonymous, "/signin"), (anonymous, "/signup"),
            (shopper, $"/products/{productId}"), (shopper, "/cart"), (shopper, "/checkout"),
            (admin, "/admin/products"), (admin, "/admin/products/new"), (admin, $"/admin/products/{productId}/edit"),
        ];
        var rendered = await Task.WhenAll(formPages.Select(async p =>
        {
            using var response = await p.Client.GetAsync(p.Page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {p.Page}: {(int)response.StatusCode}");
            return (p.Client, Forms: HtmlForm.Parse(await response.Content.ReadAsStringAsync(), p.Page));
        }));
        var forms = new Dictionary<string, (HtmlForm Form, HttpClient Client)>();
        foreach (var (client, pageForms) in rendered)
        {
            foreach (var form in pageForms)
            {
                forms.TryAdd(form.Shape, (form, client));
            }
        }
        var unposted = routes.Where(r => r.Method == "POST" && !forms.Values.Any(f => Template(HtmlForm.Ids.Replace(f.Form.Action, "{id}")) == Template(r.Template)))
            .Select(r => r.Template).ToArray();
        Assert.True(unposted.Length == 0, $"POST endpoints no rendered form reaches: {string.Join(", ", unposted)}; render the form in the pages above.");

        var formValues = HostileText.All(marker, OverlongForm);
        var queryValues = HostileText.All(marker, OverlongQuery);
        var cases = new List<FuzzCase>();
        foreach (var route in routes.Where(r => r.Method == "GET"))
        {
            var path = Regex.Replace(route.Template, @"\{[^}]+\}", productId.ToString());
            foreach (var name in route.QueryParameters.Append("fuzz"))
            {
                cases.AddRange(queryValues.Select(value => new FuzzCase($"GET {route.Template}", $"query {name}", value, anonymous,
                    () => new HttpRequestMessage(HttpMethod.Get, $"{path}?{name}={value.ToPercentEncoded()}"), name)));
            }
            foreach (Match parameter in Regex.Matches(route.Template, @"\{[^}]+\}"))
            {
                cases.AddRange(queryValues.Select(value => new FuzzCase($"GET {route.Template}", $"route {parameter.Value}", value, anonymous,
                    () => new HttpRequestMessage(HttpMethod.Get, route.Template.Replace(parameter.Value, value.ToPercentEncoded(), StringComparison.Ordinal)
                        .Replace("{Id:guid}", productId.ToString(), StringComparison.Ordinal)), null)));
            }
        }
        foreach (var (form, client) in forms.Values)
        {
            foreach (var (name, _) in form.Fields)
            {
                cases.AddRange(formValues.Select(value => new FuzzCase($"form {form.Action}", $"field {name}", value, client,
                    () => new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = UrlEncoded(form, name, value) }, name)));
            }
        }
        foreach (var (form, client) in forms.Values.Where(f => f.Client == anonymous))
        {
            foreach (var (name, _) in form.Fields)
            {
                cases.AddRange(formValues.Where(v => !v.IsOverlong).Select(value => new FuzzCase($"multipart form {form.Action}", $"field {name}", value, client,
                    () => new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = Multipart(form, name, value) }, name)));
            }
        }

        var run = new FuzzRun();
        await run.SendAsync(cases);

        var after = await StoredRows.CountAsync(db.ConnectionString);
        var stored = await StoredRows.FindMarkerAsync(db.ConnectionString, marker);
        output.WriteLine($"Web: {routes.Count} routes, {forms.Count} forms ({string.Join(", ", forms.Values.Select(f => f.Form.Action).Distinct())}), {cases.Count} cases, "
            + $"{run.Sent} requests sent in {run.Elapsed.TotalSeconds:0.0} s, {run.Unsendable} refused by HttpClient; 5xx: {run.ServerErrors}; statuses {run.StatusSummary}");
        Assert.True(run.Sent >= 2_000, $"only {run.Sent} requests sent");
        Assert.True(run.Failures.Count == 0, $"{run.Failures.Count} of {run.Sent} answers were wrong:\n{string.Join('\n', run.Failures.Take(40))}");
        Assert.Empty(before.Differences(after));
        Assert.Empty(stored);
        Assert.Equal(cartBefore, await customer.Http.GetStringAsync("/api/v1/cart"));
        var injected = LogInjection.LinesWithControlCharacters(stack, "web", "api");
        Assert.True(injected.Length == 0, $"{injected.Length} log lines carry a control character:\n{string.Join('\n', injected.Take(20))}");
    }

    /// <summary>Text the guard lets through but the catalog refuses (too long a search) is explained on the page, not an error page.</summary>
    [Fact]
    public async Task A_search_the_catalog_refuses_is_explained_on_the_page_instead_of_an_error()
    {
        using var web = FuzzRun.CreateClient(stack.CreateHttpClient("web").BaseAddress!);

        using var response = await web.GetAsync($"/?q={new string('k', 101)}");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"filter-error\"", page);
        Assert.Contains("at most 100 characters", page);
    }

    private sealed record WebRoute(string Method, string Template, string[] QueryParameters);

    /// <summary>
    /// The storefront's routes, read from its source: every @page of a component (with the query
    /// parameters it reads) and every MapGet/MapPost (with its MapGroup prefix).
    /// </summary>
    private static List<WebRoute> WebRoutes()
    {
        var web = Path.Combine(RepositoryRoot.Path, "Shop.Web");
        var routes = new List<WebRoute>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(web, "Components"), "*.razor", SearchOption.AllDirectories))
        {
            var source = File.ReadAllText(file);
            var query = QueryParameter().Matches(source)
                .Select(m => m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["property"].Value)
                .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            routes.AddRange(PageDirective().Matches(source).Select(m => new WebRoute("GET", m.Groups["route"].Value, query)));
        }
        foreach (var file in Directory.EnumerateFiles(web, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var source = File.ReadAllText(file);
            var groups = GroupDefinition().Matches(source).ToDictionary(m => m.Groups["variable"].Value, m => m.Groups["prefix"].Value);
            foreach (Match map in EndpointMapping().Matches(source))
            {
                var route = map.Groups["route"].Value;
                var prefix = groups.GetValueOrDefault(map.Groups["target"].Value, "");
                routes.Add(new WebRoute(map.Groups["verb"].Value.ToUpperInvariant(), prefix + (route == "/" && prefix.Length > 0 ? "" : route), []));
            }
        }
        Assert.Contains(routes, r => r.Template == "/");
        Assert.Contains(routes, r => r.Template == "/cart/add" && r.Method == "POST");
        return routes;
    }

    private static string Template(string route) => Regex.Replace(route, @"\{[^}]+\}", "{id}");

    private static FormUrlEncodedLikeContent UrlEncoded(HtmlForm form, string field, HostileText value) =>
        new(string.Join('&', form.Fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + (f.Key == field ? value.ToPercentEncoded() : Uri.EscapeDataString(f.Value)))));

    private static MultipartFormDataContent Multipart(HtmlForm form, string field, HostileText value)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, valid) in form.Fields)
        {
            var part = new ByteArrayContent(name == field ? value.ToWireBytes() : Encoding.UTF8.GetBytes(valid));
            content.Add(part, name);
        }
        return content;
    }

    /// <summary>Signs in through the storefront's own form, as a browser would; the client keeps the cookies.</summary>
    private static async Task<HttpClient> SignInAsync(Uri web, string email, string password)
    {
        var http = FuzzRun.CreateClient(web, new CookieContainer());
        var page = await http.GetStringAsync("/signin");
        var form = HtmlForm.Parse(page, "/signin").Single(f => f.Fields.Any(x => x.Key == "Input.Email"));
        var fields = form.With("Input.Email", email).Select(f => f.Key == "Input.Password" ? new KeyValuePair<string, string>(f.Key, password) : f);
        using var response = await http.PostAsync(form.Action, new FormUrlEncodedContent(fields));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"signing in as {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var cart = await http.GetAsync("/cart");
        Assert.Equal(HttpStatusCode.OK, cart.StatusCode);
        return http;
    }

    /// <summary>application/x-www-form-urlencoded with the body exactly as given (FormUrlEncodedContent would re-encode).</summary>
    private sealed class FormUrlEncodedLikeContent : ByteArrayContent
    {
        public FormUrlEncodedLikeContent(string body)
            : base(Encoding.ASCII.GetBytes(body)) =>
            Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
    }

    [GeneratedRegex(@"^@page\s+""(?<route>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex PageDirective();

    [GeneratedRegex(@"\[SupplyParameterFromQuery(?:\(Name\s*=\s*""(?<name>[^""]+)""\))?\]\s*public\s+[\w\[\]?<>]+\s+(?<property>\w+)")]
    private static partial Regex QueryParameter();

    [GeneratedRegex(@"var\s+(?<variable>\w+)\s*=\s*app\.MapGroup\(""(?<prefix>[^""]*)""\)")]
    private static partial Regex GroupDefinition();

    [GeneratedRegex(@"(?<target>\w+)\s*\.\s*Map(?<verb>Get|Post)\(\s*""(?<route>/[^""]*)""")]
    private static partial Regex EndpointMapping();
}
