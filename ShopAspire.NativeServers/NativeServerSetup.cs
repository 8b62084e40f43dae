using System.Runtime.CompilerServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using ShopAspire.NativeServers.Packages;

namespace ShopAspire.NativeServers;

/// <summary>
/// What every native server needs before DCP starts it: its Debian package installed, and its data
/// thrown away when it is not kept (a container without a volume starts empty too). Runs once per
/// app, on BeforeStartEvent, so restarting one resource keeps the data of this run.
/// </summary>
internal static class NativeServerSetup
{
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, HashSet<ServerPackage>> Required = new();

    public static void Require(IDistributedApplicationBuilder builder, ServerPackage package)
    {
        if (!Required.TryGetValue(builder, out var packages))
        {
            packages = [];
            Required.Add(builder, packages);
            var folders = NativeServerFolders.For(builder);
            var reset = builder.Configuration.GetValue<bool>(ResetDataKey);
            builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, ct) =>
            {
                await new ServerPackageInstaller(Console.Out).EnsureInstalledAsync(packages, ct).ConfigureAwait(false);
                DeleteDataNotKept(@event.Model.Resources, reset);
                if (!folders.Throwaway)
                {
                    Console.Out.WriteLine(reset
                        ? $"Native servers' data reset in {folders.Root}."
                        : $"Native servers keep their data in {folders.Root} (reset: --{ResetDataKey}=true).");
                }
            });
        }
        packages.Add(package);
    }

    /// <summary>Configuration key that throws away kept data too, for a fresh start.</summary>
    public const string ResetDataKey = "ShopAspire:ResetData";

    internal static void DeleteDataNotKept(IEnumerable<IResource> resources, bool resetKeptData = false)
    {
        foreach (var resource in resources)
        {
            if (resource.TryGetLastAnnotation<NativeDataAnnotation>(out var data) &&
                (resetKeptData || !resource.TryGetLastAnnotation<KeepDataAnnotation>(out _)) &&
                Directory.Exists(data.DataPath))
            {
                Directory.Delete(data.DataPath, recursive: true);
            }
        }
    }
}
