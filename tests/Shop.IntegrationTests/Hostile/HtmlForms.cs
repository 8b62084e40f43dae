using System.Net;
using System.Text.RegularExpressions;

namespace Shop.IntegrationTests.Hostile;

/// <summary>A POST form of a storefront page: where it posts and the fields a browser would send (hidden ones included).</summary>
public sealed partial record HtmlForm(string Action, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>The action with ids replaced, so the same form on many rows (one per product) counts once.</summary>
    public string Shape => IdPattern().Replace(Action, "{id}") + " " + string.Join(",", Fields.Select(f => f.Key));

    public IEnumerable<KeyValuePair<string, string>> With(string name, string value) =>
        Fields.Select(f => f.Key == name ? new KeyValuePair<string, string>(name, value) : f);

    /// <summary>Every method="post" form in the page's HTML (streamed updates included), posting to the page when it has no action.</summary>
    public static Regex Ids => IdPattern();

    public static IReadOnlyList<HtmlForm> Parse(string html, string pageUrl)
    {
        var forms = new List<HtmlForm>();
        foreach (Match form in FormElement().Matches(html))
        {
            var attributes = form.Groups["attributes"].Value;
            if (!Regex.IsMatch(attributes, @"method=""post""", RegexOptions.IgnoreCase))
            {
                continue;
            }
            var action = Attribute(attributes, "action") is { Length: > 0 } a ? WebUtility.HtmlDecode(a) : pageUrl;
            var fields = new List<KeyValuePair<string, string>>();
            var body = form.Groups["body"].Value;
            foreach (Match input in InputElement().Matches(body))
            {
                var type = Attribute(input.Value, "type") ?? "text";
                if (Attribute(input.Value, "name") is { } name && type is not ("submit" or "button" or "checkbox" or "radio" or "file"))
                {
                    fields.Add(new(WebUtility.HtmlDecode(name), WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "")));
                }
            }
            foreach (Match textarea in TextareaElement().Matches(body))
            {
                if (Attribute(textarea.Groups["attributes"].Value, "name") is { } name)
                {
                    fields.Add(new(WebUtility.HtmlDecode(name), WebUtility.HtmlDecode(textarea.Groups["text"].Value)));
                }
            }
            foreach (Match select in SelectElement().Matches(body))
            {
                if (Attribute(select.Groups["attributes"].Value, "name") is { } name)
                {
                    var selected = OptionElement().Matches(select.Groups["options"].Value)
                        .FirstOrDefault(o => o.Value.Contains("selected", StringComparison.OrdinalIgnoreCase));
                    fields.Add(new(WebUtility.HtmlDecode(name), WebUtility.HtmlDecode(selected is null ? "" : Attribute(selected.Value, "value") ?? "")));
                }
            }
            forms.Add(new HtmlForm(action, fields));
        }
        return forms;
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $@"\b{name}=""(?<value>[^""]*)""", RegexOptions.IgnoreCase);
        return match.Success ? match.Groups["value"].Value : null;
    }

    [GeneratedRegex(@"<form\b(?<attributes>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormElement();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputElement();

    [GeneratedRegex(@"<textarea\b(?<attributes>[^>]*)>(?<text>.*?)</textarea>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex TextareaElement();

    [GeneratedRegex(@"<select\b(?<attributes>[^>]*)>(?<options>.*?)</select>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex SelectElement();

    [GeneratedRegex(@"<option\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex OptionElement();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex IdPattern();
}
