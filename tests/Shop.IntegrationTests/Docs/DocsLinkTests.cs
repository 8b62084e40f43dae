using System.Text.RegularExpressions;

namespace Shop.IntegrationTests.Docs;

/// <summary>Relative links in README.md and docs/*.md point at files and folders that exist.</summary>
public partial class DocsLinkTests
{
    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        data.Add("README.md");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/'));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_relative_link_resolves_to_a_file_in_the_repository(string markdownFile)
    {
        var path = Path.Combine(RepositoryRoot.Path, markdownFile);
        var broken = RelativeLinks(File.ReadAllText(path))
            .Where(link => !Exists(Path.GetDirectoryName(path)!, link))
            .ToArray();

        Assert.Empty(broken);
    }

    [Fact]
    public void The_link_finder_sees_inline_image_and_reference_links_but_not_code()
    {
        const string markdown = """
            See [the API](docs/api.md#orders), ![a picture](img/shop.png "title") and [ref][r].
            Not links: `[x](in-code.md)`, [web](https://example.com), [mail](mailto:a@b.c), [top](#top).

                [indented](code-block.md)

            ```
            [fenced](fenced.md)
            ```

            [r]: ../elsewhere/file.md
            """;

        Assert.Equal(["docs/api.md", "img/shop.png", "../elsewhere/file.md"], RelativeLinks(markdown));
    }

    /// <summary>Targets of inline links, images and reference definitions that are paths (no scheme, not just a #fragment), fragment removed.</summary>
    internal static List<string> RelativeLinks(string markdown)
    {
        var links = new List<string>();
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence || line.StartsWith("    ", StringComparison.Ordinal) || line.StartsWith('\t'))
            {
                continue;
            }
            var text = CodeSpan().Replace(line, "");
            var targets = InlineLink().Matches(text).Select(m => m.Groups["target"].Value)
                .Concat(ReferenceDefinition().Matches(text).Select(m => m.Groups["target"].Value));
            foreach (var target in targets)
            {
                var trimmed = target.Trim('<', '>');
                if (trimmed.Length == 0 || trimmed.StartsWith('#') || Scheme().IsMatch(trimmed))
                {
                    continue;
                }
                var withoutFragment = trimmed.Split('#', 2)[0].Split('?', 2)[0];
                links.Add(Uri.UnescapeDataString(withoutFragment));
            }
        }
        return links;
    }

    private static bool Exists(string folder, string link)
    {
        var full = Path.GetFullPath(Path.Combine(link.StartsWith('/') ? RepositoryRoot.Path : folder, link.TrimStart('/')));
        return File.Exists(full) || Directory.Exists(full);
    }

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();
}
