using Aspire.Hosting.ApplicationModel;
using ShopAspire.NativeServers;
using ShopAspire.NativeServers.RabbitMQ;

namespace ShopAspire.AppHost.Tests;

public sealed class NativeServerSetupTests
{
    [Fact]
    public void Data_of_servers_without_a_data_volume_is_deleted_and_kept_data_stays()
    {
        using var folder = new TempFolder();
        var throwaway = Server("throwaway", folder, keep: false);
        var kept = Server("kept", folder, keep: true);
        var otherSubfolder = Server("broker", folder, keep: false, dataSubfolder: "mnesia");
        var unrelated = new TestResource("unrelated");

        NativeServerSetup.DeleteDataNotKept([throwaway.Resource, kept.Resource, otherSubfolder.Resource, unrelated]);

        Assert.False(Directory.Exists(throwaway.Data.DataPath));
        Assert.True(Directory.Exists(throwaway.Data.Folder), "only the data subfolder goes; the launcher and logs stay");
        Assert.True(File.Exists(Path.Combine(kept.Data.DataPath, "PG_VERSION")));
        Assert.False(Directory.Exists(otherSubfolder.Data.DataPath));
        Assert.True(File.Exists(Path.Combine(otherSubfolder.Data.Folder, "data", "PG_VERSION")), "a subfolder that is not the data subfolder stays");
    }

    [Fact]
    public void Deleting_data_that_is_not_there_is_fine()
    {
        using var folder = new TempFolder();
        var resource = new TestResource("fresh");
        resource.Annotations.Add(new NativeDataAnnotation(Path.Combine(folder.Path, "fresh")));
        NativeServerSetup.DeleteDataNotKept([resource]);
    }

    [Fact]
    public void A_broker_keeps_its_node_name_for_its_folder_and_only_for_it()
    {
        // Restarting the broker (kept data, or a stop/start within a test run) must find its Mnesia again.
        var first = NativeRabbitMQBuilderExtensions.NodeName("/var/lib/shopaspire/abc/messaging");
        Assert.Equal(first, NativeRabbitMQBuilderExtensions.NodeName("/var/lib/shopaspire/abc/messaging"));
        Assert.Matches("^shopaspire-[0-9a-f]{10}@localhost$", first);
        Assert.NotEqual(first, NativeRabbitMQBuilderExtensions.NodeName("/tmp/shopaspire-test-1/messaging"));
    }

    private static (TestResource Resource, NativeDataAnnotation Data) Server(string name, TempFolder root, bool keep, string dataSubfolder = "data")
    {
        var resource = new TestResource(name);
        var data = new NativeDataAnnotation(Path.Combine(root.Path, name), dataSubfolder);
        resource.Annotations.Add(data);
        if (keep)
        {
            resource.Annotations.Add(new KeepDataAnnotation());
        }
        foreach (var sub in new[] { "data", dataSubfolder }.Distinct())
        {
            Directory.CreateDirectory(Path.Combine(data.Folder, sub));
            File.WriteAllText(Path.Combine(data.Folder, sub, "PG_VERSION"), "15");
        }
        File.WriteAllText(Path.Combine(data.Folder, "launcher.sh"), "#!/bin/sh\n");
        return (resource, data);
    }

    private sealed class TestResource(string name) : Resource(name);
}
