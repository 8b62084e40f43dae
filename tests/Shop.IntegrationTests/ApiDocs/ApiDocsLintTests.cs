using Shop.IntegrationTests.Docs;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.ApiDocs;

[Collection(ShopStackCollection.Name)]
public class ApiDocsLintTests(ShopStackFixture stack)
{
    [Fact]
    public async Task The_openapi_document_lints_clean_with_redoclys_recommended_rules()
    {
        using var api = stack.CreateHttpClient("api");
        var document = Path.Combine(Path.GetTempPath(), $"shopaspire-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await api.GetStringAsync("/openapi/v1.json"));
        try
        {
            var lint = await Redocly.LintAsync(document, Path.Combine(RepositoryRoot.Path, "redocly.yaml"));

            Assert.True(lint.Errors == 0 && lint.Warnings == 0,
                $"redocly lint: {lint.Errors} errors, {lint.Warnings} warnings (fix the source; turn a rule off in redocly.yaml only with the reason):\n{lint.Problems}");
        }
        finally
        {
            File.Delete(document);
        }
    }
}
