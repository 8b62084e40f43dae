using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Shop.IntegrationTests.ApiDocs;

/// <summary>
/// The live OpenAPI document as a checker of real exchanges: is the operation in it, is the
/// status listed, does the response body match the listed schema, and does a request the API
/// accepted (2xx) match the request schema. Schemas are validated by JsonSchema.Net (OpenAPI 3.1
/// schemas are JSON Schema 2020-12); this class only finds which schema applies.
/// </summary>
public sealed class OpenApiContract
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private readonly JsonObject _document;
    private readonly JsonObject _components;
    private readonly List<(Regex Pattern, int Literals, string Template)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private int _schemaCount;

    public OpenApiContract(string documentJson)
    {
        _document = JsonNode.Parse(documentJson)!.AsObject();
        _components = _document["components"]?["schemas"]?.AsObject() ?? [];
        _paths = [.. _document["paths"]!.AsObject().Select(p => (Pattern(p.Key), p.Key.Count(c => c == '/') - p.Key.Count(c => c == '{'), p.Key))
            .OrderByDescending(p => p.Item2)];
    }

    /// <summary>Every operation as "METHOD /path/{template}".</summary>
    public IEnumerable<string> Operations =>
        _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key != "parameters")
            .Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"));

    /// <summary>"METHOD /template" for a real request, or null when the document has no such operation.</summary>
    public string? FindOperation(string method, string path)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        foreach (var (pattern, _, template) in _paths)
        {
            if (pattern.IsMatch(trimmed) && _document["paths"]![template]![method.ToLowerInvariant()] is not null)
            {
                return $"{method.ToUpperInvariant()} {template}";
            }
        }
        return null;
    }

    /// <summary>What is wrong with this exchange; empty when the document tells its truth.</summary>
    public IReadOnlyList<string> Check(RecordedExchange exchange)
    {
        var operationKey = FindOperation(exchange.Method, exchange.Path);
        if (operationKey is null)
        {
            // The server agreeing that nothing is there (404, 405) is no mismatch.
            return exchange.Status is 404 or 405 ? [] : [$"{exchange.Method} {exchange.Path} answered {exchange.Status}, but the document has no such operation"];
        }
        var (method, template) = Split(operationKey);
        var operation = _document["paths"]![template]![method]!.AsObject();
        var problems = new List<string>();
        var status = exchange.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = operation["responses"]?[status] ?? operation["responses"]?[$"{status[0]}XX"] ?? operation["responses"]?["default"];
        if (response is null)
        {
            problems.Add($"{operationKey}: status {status} is not documented (documented: {string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))})");
        }
        else
        {
            problems.AddRange(CheckBody(
                $"{operationKey} -> {status} response", response["content"]?.AsObject(), exchange.ResponseMediaType, exchange.ResponseBody, $"#/paths/{template}/{method}/responses/{status}"));
        }

        // A request the API refused may break the schema (that is why it was refused); one it
        // accepted must not, or a client generated from the document could not send it.
        if (exchange.Status is >= 200 and < 300 && exchange.RequestBody is { Length: > 0 } requestBody)
        {
            problems.AddRange(operation["requestBody"] is { } body
                ? CheckBody($"{operationKey} request (answered {status})", body["content"]?.AsObject(), exchange.RequestMediaType, requestBody, $"#/paths/{template}/{method}/requestBody")
                : [$"{operationKey}: accepted a request body, but the document declares none"]);
        }
        return problems;
    }

    private IEnumerable<string> CheckBody(string what, JsonObject? content, string? mediaType, string? body, string cacheKey)
    {
        if (string.IsNullOrEmpty(body))
        {
            yield break;
        }
        if (content is null || content.Count == 0)
        {
            yield return $"{what}: has a body ({mediaType}), but the document declares none";
            yield break;
        }
        if (mediaType is null || content[mediaType] is not { } media)
        {
            yield return $"{what}: content type {mediaType ?? "(none)"} is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})";
            yield break;
        }
        if (!IsJson(mediaType) || media["schema"] is not { } schemaNode)
        {
            yield break;
        }
        if (ParseJson(body) is not { } instance)
        {
            yield return $"{what}: the {mediaType} body is not JSON";
            yield break;
        }
        var schema = _schemas.GetOrAdd($"{cacheKey}/{mediaType}", _ => Build(schemaNode));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? [result])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}"))
                .Distinct()
                .Take(5);
            yield return $"{what}: the body does not match its schema: {string.Join("; ", errors)}. Body: {Shorten(body)}";
        }
    }

    /// <summary>
    /// A standalone 2020-12 schema: the operation's schema with the document's component
    /// schemas as $defs (its "#/components/schemas/X" references rewritten to "#/$defs/X").
    /// </summary>
    private JsonSchema Build(JsonNode schemaNode)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = RewriteReferences(_components.DeepClone()),
            ["allOf"] = new JsonArray(RewriteReferences(schemaNode.DeepClone())),
        };
        var id = Interlocked.Increment(ref _schemaCount);
        var element = JsonDocument.Parse(root.ToJsonString()).RootElement;
        return JsonSchema.Build(element, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"urn:shop-contract:schema:{id}"));
    }

    private static JsonNode RewriteReferences(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value?.GetValue<string>() is { } reference && reference.StartsWith(ComponentsPrefix, StringComparison.Ordinal))
                    {
                        obj[key] = "#/$defs/" + reference[ComponentsPrefix.Length..];
                    }
                    else if (value is not null)
                    {
                        RewriteReferences(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteReferences(item);
                    }
                }
                break;
        }
        return node;
    }

    private static JsonElement? ParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static Regex Pattern(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/]+?}", "[^/]+") + "$", RegexOptions.CultureInvariant);

    private static (string Method, string Template) Split(string operationKey)
    {
        var space = operationKey.IndexOf(' ', StringComparison.Ordinal);
        return (operationKey[..space].ToLowerInvariant(), operationKey[(space + 1)..]);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>One request and its response as the test's HttpClient saw them.</summary>
public sealed record RecordedExchange(
    string Method, string Path, string? RequestMediaType, string? RequestBody, int Status, string? ResponseMediaType, string? ResponseBody);
