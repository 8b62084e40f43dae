using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Orders;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Hostile;

/// <summary>
/// Generated hostile text (NUL, control characters, unpaired surrogates, bytes that are not
/// UTF-8, overlong values) in every input of every operation the API's OpenAPI document lists:
/// each query parameter (and one it does not declare), each route value, each header, each
/// JSON body field with the rest of the body valid. Every answer must be a 4xx, a 400 problem
/// naming the field where the input reaches the app, and nothing may be stored.
/// </summary>
[Collection(ShopStackCollection.Name)]
public partial class ApiHostileTextTests(ShopStackFixture stack, ITestOutputHelper output)
{
    private const string Placeholder = "__fuzz_placeholder__";
    private const int OverlongBody = 20_000;  // over every field limit (a description is 4,000), under the 1 MB body limit
    private const int OverlongQuery = 3_000;  // over ClientTextGuard's 2,000, under Kestrel's 8 KB request line

    /// <summary>Not in the OpenAPI document, but served to anyone: their query strings are fuzzed too.</summary>
    private static readonly string[] UndocumentedGets = ["/openapi/v1.json", "/scalar/v1", "/health", "/alive"];

    [Fact]
    public async Task Hostile_text_in_any_input_of_any_api_operation_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        var marker = $"hx{Guid.NewGuid():N}"[..12];
        var db = await ShopDatabase.ForAsync(stack);
        var productId = await db.CreateProductAsync(stock: 1000);
        using var admin = await stack.CreateAdminClientAsync();
        using var api = FuzzRun.CreateClient(admin.Http.BaseAddress!);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        var document = JsonDocument.Parse(await admin.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var cartBefore = await admin.Http.GetStringAsync("/api/v1/cart");
        var before = await StoredRows.CountAsync(db.ConnectionString);

        var operations = Operations(document).ToList();
        var baselines = Baselines(productId, marker);
        var missing = operations.Where(o => o.HasBody && !baselines.ContainsKey(o.Key)).Select(o => o.Key).ToArray();
        Assert.True(missing.Length == 0, $"No valid body to fuzz for: {string.Join(", ", missing)}; add one to Baselines.");
        var uncovered = operations.Where(o => o.HasBody)
            .SelectMany(o => o.BodyProperties.Where(p => baselines[o.Key][p] is null).Select(p => $"{o.Key} {p}")).ToArray();
        Assert.True(uncovered.Length == 0, $"Body fields the fuzz does not reach: {string.Join(", ", uncovered)}");

        var bodyValues = HostileText.All(marker, OverlongBody);
        var queryValues = HostileText.All(marker, OverlongQuery);
        var cases = new List<FuzzCase>();
        foreach (var operation in operations)
        {
            cases.AddRange(Cases(operation, baselines.GetValueOrDefault(operation.Key), productId, api, bodyValues, queryValues));
        }
        foreach (var path in UndocumentedGets)
        {
            var get = new Operation("GET", path, [], [], [], false, []);
            cases.AddRange(Cases(get, null, productId, api, bodyValues, queryValues));
        }

        var run = new FuzzRun();
        await run.SendAsync(cases);
        var rawStatuses = await SendHeadersHttpClientRefusesAsync(api.BaseAddress!, admin.AccessToken, productId, bodyValues);

        var after = await StoredRows.CountAsync(db.ConnectionString);
        var stored = await StoredRows.FindMarkerAsync(db.ConnectionString, marker);
        output.WriteLine($"API: {operations.Count} documented operations + {UndocumentedGets.Length} undocumented GETs, {cases.Count} cases, "
            + $"{run.Sent} requests sent in {run.Elapsed.TotalSeconds:0.0} s, {run.Unsendable} refused by HttpClient; 5xx: {run.ServerErrors}; statuses {run.StatusSummary}; "
            + $"{rawStatuses.Count} more over a raw socket (NUL in the Idempotency-Key): {string.Join(", ", rawStatuses.Distinct())}");
        Assert.All(rawStatuses, status => Assert.Equal(400, status));
        Assert.True(run.Sent >= 2_000, $"only {run.Sent} requests sent");
        Assert.True(run.Failures.Count == 0, $"{run.Failures.Count} of {run.Sent} answers were wrong:\n{string.Join('\n', run.Failures.Take(40))}");
        Assert.Empty(before.Differences(after));
        Assert.Empty(stored);
        Assert.Equal(cartBefore, await admin.Http.GetStringAsync("/api/v1/cart"));
        var injected = LogInjection.LinesWithControlCharacters(stack, "api");
        Assert.True(injected.Length == 0, $"{injected.Length} log lines carry a control character:\n{string.Join('\n', injected.Take(20))}");
    }

    /// <summary>
    /// Header values with NUL, which HttpClient will not send, written on a socket of our own:
    /// Kestrel must refuse them (400) before any of the app sees them. Returns the statuses.
    /// </summary>
    private static async Task<List<int>> SendHeadersHttpClientRefusesAsync(Uri api, string token, Guid productId, IReadOnlyList<HostileText> values)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"lines":[{"productId":"{{productId}}","quantity":1}]}""");
        var statuses = new List<int>();
        foreach (var value in values.Where(v => v.ToHeaderValue() is null && !v.ToWireBytes().Any(b => b is (byte)'\r' or (byte)'\n')))
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(api.Host, api.Port);
            await using var stream = tcp.GetStream();
            byte[] head = [.. Encoding.ASCII.GetBytes($"POST /api/v1/orders HTTP/1.1\r\nHost: {api.Authority}\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: "),
                .. value.ToWireBytes(),
                .. Encoding.ASCII.GetBytes($"\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n")];
            await stream.WriteAsync(head);
            await stream.WriteAsync(body);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var statusLine = await reader.ReadLineAsync() ?? "";
            statuses.Add(statusLine.Split(' ') is [_, var code, ..] && int.TryParse(code, out var status) ? status : -1);
        }
        return statuses;
    }

    private sealed record Operation(
        string Method, string Path, string[] QueryParameters, string[] RouteParameters, string[] HeaderParameters,
        bool HasBody, string[] BodyProperties)
    {
        public string Key => $"{Method} {Path}";
    }

    /// <summary>Every operation of the document with its declared inputs.</summary>
    private static IEnumerable<Operation> Operations(JsonElement document)
    {
        var schemas = document.GetProperty("components").TryGetProperty("schemas", out var s) ? s : default;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToArray() : [];
                string[] In(string location) => [.. parameters.Where(x => x.GetProperty("in").GetString() == location).Select(x => x.GetProperty("name").GetString()!)];
                var body = operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json)
                    ? json.GetProperty("schema")
                    : (JsonElement?)null;
                yield return new Operation(operation.Name.ToUpperInvariant(), path.Name, In("query"), In("path"), In("header"),
                    body is not null, body is { } schema ? [.. PropertyPaths(schema, schemas, "")] : []);
            }
        }
    }

    /// <summary>Leaf property paths of a body schema ("name", "lines[0].productId"); free-form objects stop at their name.</summary>
    private static IEnumerable<string> PropertyPaths(JsonElement schema, JsonElement schemas, string prefix)
    {
        schema = Resolve(schema, schemas);
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                var child = Resolve(property.Value, schemas);
                var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                if (child.TryGetProperty("items", out var items) && Resolve(items, schemas).TryGetProperty("properties", out _))
                {
                    foreach (var leaf in PropertyPaths(items, schemas, $"{path}[0]"))
                    {
                        yield return leaf;
                    }
                }
                else if (child.TryGetProperty("properties", out _))
                {
                    foreach (var leaf in PropertyPaths(child, schemas, path))
                    {
                        yield return leaf;
                    }
                }
                else
                {
                    yield return path;
                }
            }
        }
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        for (var i = 0; i < 10; i++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
            }
            else if ((schema.TryGetProperty("oneOf", out var options) || schema.TryGetProperty("anyOf", out options))
                && options.EnumerateArray().FirstOrDefault(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")) is { ValueKind: JsonValueKind.Object } notNull)
            {
                schema = notNull;
            }
            else
            {
                return schema;
            }
        }
        return schema;
    }

    /// <summary>A valid body per operation that takes one: only one field at a time is made hostile.</summary>
    private static Dictionary<string, Baseline> Baselines(Guid productId, string marker)
    {
        JsonObject Product() => new()
        {
            ["name"] = "Fuzz kettle", ["description"] = "Boils\nwater", ["categorySlug"] = "kitchen", ["price"] = 12.5m,
            ["currency"] = "EUR", ["stock"] = 3, ["imageUrl"] = "/images/kettle.png", ["metadata"] = new JsonObject { ["note"] = "fine" },
        };
        return new()
        {
            ["POST /api/v1/users"] = new(() => new JsonObject { ["email"] = $"{marker}-{Guid.NewGuid():N}@example.test", ["password"] = "correct horse battery", ["displayName"] = "Fuzz shopper" }),
            ["POST /api/v1/users/token"] = new(() => new JsonObject { ["email"] = $"nobody-{marker}@example.test", ["password"] = "correct horse battery" }, SignIn: true),
            ["POST /api/v1/products"] = new(Product),
            ["PUT /api/v1/products/{id}"] = new(Product),
            ["PUT /api/v1/cart/lines/{productId}"] = new(() => new JsonObject { ["quantity"] = 1 }),
            ["POST /api/v1/orders"] = new(() => new JsonObject { ["lines"] = new JsonArray(new JsonObject { ["productId"] = productId.ToString(), ["quantity"] = 1 }) }),
        };
    }

    private sealed record Baseline(Func<JsonObject> Body, bool SignIn = false)
    {
        /// <summary>The baseline's value at a property path, or null when the baseline lacks it.</summary>
        public JsonNode? this[string path] => Navigate(Body(), path);

        /// <summary>Leaf paths of the baseline: every value the fuzz replaces.</summary>
        public IEnumerable<string> Leaves() => LeavesOf(Body(), "");

        private static IEnumerable<string> LeavesOf(JsonNode node, string prefix) => node switch
        {
            JsonObject obj => obj.SelectMany(p => LeavesOf(p.Value!, prefix.Length == 0 ? p.Key : $"{prefix}.{p.Key}")),
            JsonArray array => array.SelectMany((item, i) => LeavesOf(item!, $"{prefix}[{i}]")),
            _ => [prefix],
        };
    }

    private static JsonNode? Navigate(JsonNode? node, string path)
    {
        foreach (Match step in PathStep().Matches(path))
        {
            node = step.Groups["index"].Success ? (node as JsonArray)?[int.Parse(step.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)] : (node as JsonObject)?[step.Groups["name"].Value];
        }
        return node;
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();

    private static IEnumerable<FuzzCase> Cases(Operation operation, Baseline? baseline, Guid productId, HttpClient api,
        IReadOnlyList<HostileText> bodyValues, IReadOnlyList<HostileText> queryValues)
    {
        var method = new HttpMethod(operation.Method);
        var path = Regex.Replace(operation.Path, @"\{(?<name>[^}:]+)[^}]*\}", m => m.Groups["name"].Value switch
        {
            "id" when operation.Path.StartsWith("/api/v1/orders", StringComparison.Ordinal) => Guid.CreateVersion7().ToString(),
            _ => productId.ToString(),
        });
        var checkout = operation.HeaderParameters.Contains("Idempotency-Key");

        HttpRequestMessage Request(string target, byte[]? body, string? idempotencyKey = null)
        {
            var request = new HttpRequestMessage(method, target);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            if (checkout)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey ?? $"fuzz-{Guid.NewGuid():N}");
            }
            return request;
        }

        byte[]? ValidBody() => baseline is null ? null : Encoding.UTF8.GetBytes(baseline.Body().ToJsonString());

        // Query: every declared parameter, and one nobody declared.
        foreach (var name in operation.QueryParameters.Append("fuzz"))
        {
            foreach (var value in queryValues)
            {
                yield return new FuzzCase(operation.Key, $"query {name}", value, api,
                    () => Request($"{path}?{name}={value.ToPercentEncoded()}", ValidBody()), name);
            }
        }

        // Route values: whatever the route does with it (no match is a 404), never a 5xx.
        foreach (var name in operation.RouteParameters)
        {
            foreach (var value in queryValues)
            {
                var target = Regex.Replace(operation.Path, @"\{(?<name>[^}:]+)[^}]*\}", m => m.Groups["name"].Value == name
                    ? value.ToPercentEncoded()
                    : path.Split('/')[operation.Path.Split('/').ToList().IndexOf(m.Value)]);
                yield return new FuzzCase(operation.Key, $"route {name}", value, api, () => Request(target, ValidBody()), null);
            }
        }

        // Headers the operation declares (the Idempotency-Key), with a valid body. Kestrel itself
        // answers 400 (no problem body) to header bytes that are not UTF-8; the rest reach the app.
        foreach (var name in operation.HeaderParameters)
        {
            foreach (var value in queryValues)
            {
                if (value.ToHeaderValue() is { } header)
                {
                    yield return new FuzzCase(operation.Key, $"header {name}", value, api, () => Request(path, ValidBody(), header),
                        System.Text.Unicode.Utf8.IsValid(value.ToWireBytes()) ? name : null);
                }
            }
        }

        if (baseline is null)
        {
            yield break;
        }

        // Body: each field in turn (the rest valid); free-form objects (metadata) also get a hostile key.
        var leaves = baseline.Leaves().ToList();
        var objects = operation.BodyProperties.Where(p => baseline[p] is JsonObject).ToList();
        foreach (var leaf in leaves)
        {
            var field = objects.FirstOrDefault(o => leaf.StartsWith(o + ".", StringComparison.Ordinal)) ?? leaf;
            foreach (var value in bodyValues)
            {
                yield return new FuzzCase(operation.Key, $"body {leaf}", value, api,
                    () => Request(path, Splice(baseline.Body(), leaf, value, asKey: false)), field,
                    Also401: baseline.SignIn && value.IsOverlong);
            }
        }
        foreach (var obj in objects)
        {
            foreach (var value in bodyValues.Where(v => !v.IsOverlong))
            {
                yield return new FuzzCase(operation.Key, $"body {obj} key", value, api,
                    () => Request(path, Splice(baseline.Body(), obj, value, asKey: true)), obj);
            }
        }
    }

    /// <summary>The body as JSON with <paramref name="value"/> (its raw JSON string) at <paramref name="path"/>: as the value there, or as a key inside the object there.</summary>
    private static byte[] Splice(JsonObject body, string path, HostileText value, bool asKey)
    {
        var parentPath = path.Contains('.') || path.EndsWith(']') ? path[..Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['))] : "";
        var parent = parentPath.Length == 0 ? body : Navigate(body, parentPath);
        if (asKey)
        {
            ((JsonObject)Navigate(body, path)!)[Placeholder] = "value";
        }
        else if (parent is JsonArray array)
        {
            array[int.Parse(path[(path.LastIndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = Placeholder;
        }
        else
        {
            ((JsonObject)parent!)[path[(path.LastIndexOf('.') + 1)..]] = Placeholder;
        }
        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        var quoted = Encoding.UTF8.GetBytes($"\"{Placeholder}\"");
        var at = json.AsSpan().IndexOf(quoted);
        return [.. json.AsSpan(0, at), .. value.ToJsonString(), .. json.AsSpan(at + quoted.Length)];
    }
}
