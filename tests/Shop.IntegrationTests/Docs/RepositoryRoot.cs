namespace Shop.IntegrationTests.Docs;

/// <summary>The checkout the tests were built from: the folder above the build output that holds ShopAspire.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "ShopAspire.sln")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No ShopAspire.sln above {AppContext.BaseDirectory}.");
    });

    public static string Path => Root.Value;
}
