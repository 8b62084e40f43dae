using ShopAspire.NativeServers;

namespace ShopAspire.AppHost.Tests;

public sealed class NativeServerFoldersTests
{
    private static readonly Dictionary<string, string?> NoVariables = [];

    [Fact]
    public void Root_gets_one_folder_per_checkout_under_var_lib()
    {
        var first = NativeServerFolders.DefaultRoot("/src/one/ShopAspire.AppHost", "root", Lookup(NoVariables), "/root");
        var second = NativeServerFolders.DefaultRoot("/src/two/ShopAspire.AppHost", "root", Lookup(NoVariables), "/root");

        Assert.Matches("^/var/lib/shopaspire/[0-9a-f]{12}$", first);
        Assert.Matches("^/var/lib/shopaspire/[0-9a-f]{12}$", second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_same_checkout_always_gets_the_same_folder()
    {
        var plain = NativeServerFolders.DefaultRoot("/src/one/ShopAspire.AppHost", "root", Lookup(NoVariables), "/root");
        Assert.Equal(plain, NativeServerFolders.DefaultRoot("/src/one/ShopAspire.AppHost/", "root", Lookup(NoVariables), "/root"));
        Assert.Equal(plain, NativeServerFolders.DefaultRoot("/src/one/other/../ShopAspire.AppHost", "root", Lookup(NoVariables), "/root"));
        // The hash of the full path: what earlier runs used, so existing data stays found.
        Assert.Equal("/var/lib/shopaspire/" + Sha256Prefix("/src/one/ShopAspire.AppHost"), plain);
    }

    [Fact]
    public void Another_user_keeps_data_under_XDG_STATE_HOME()
    {
        var root = NativeServerFolders.DefaultRoot("/src/one/ShopAspire.AppHost", "dev",
            Lookup(new() { ["XDG_STATE_HOME"] = "/home/dev/state" }), "/home/dev");
        Assert.Equal("/home/dev/state/shopaspire/" + Sha256Prefix("/src/one/ShopAspire.AppHost"), root);
    }

    [Fact]
    public void Another_user_without_XDG_STATE_HOME_uses_local_state_in_the_home_folder()
    {
        var root = NativeServerFolders.DefaultRoot("/src/one/ShopAspire.AppHost", "dev", Lookup(NoVariables), "/home/dev");
        Assert.Equal("/home/dev/.local/state/shopaspire/" + Sha256Prefix("/src/one/ShopAspire.AppHost"), root);
    }

    [Theory]
    [InlineData("root")]
    [InlineData("dev")]
    public void SHOPASPIRE_DATA_ROOT_overrides_the_parent_for_everyone(string user)
    {
        var root = NativeServerFolders.DefaultRoot("/src/one/ShopAspire.AppHost", user,
            Lookup(new() { ["SHOPASPIRE_DATA_ROOT"] = "/data", ["XDG_STATE_HOME"] = "/home/dev/state" }), "/home/dev");
        Assert.Equal("/data/" + Sha256Prefix("/src/one/ShopAspire.AppHost"), root);
    }

    private static Func<string, string?> Lookup(Dictionary<string, string?> variables) =>
        name => variables.GetValueOrDefault(name);

    private static string Sha256Prefix(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];
}
