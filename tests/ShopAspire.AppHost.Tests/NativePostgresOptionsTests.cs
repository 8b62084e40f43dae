using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ShopAspire.NativeServers.Postgres;

namespace ShopAspire.AppHost.Tests;

/// <summary>What the native Postgres of a test stack may trade for speed, and what it may not.</summary>
public sealed class NativePostgresOptionsTests
{
    [Fact]
    public async Task Throwaway_postgres_skips_fsync_but_keeps_synchronous_commit_so_a_kill_loses_no_acknowledged_commit()
    {
        var args = await PostgresArgumentsAsync(throwaway: true);

        Assert.Contains("fsync=off", args);
        // With synchronous_commit off a kill -9 of the postmaster drops commits the services
        // were already told about: the crash drills would see paid orders turn pending again.
        Assert.DoesNotContain(args, a => a.StartsWith("synchronous_commit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_developers_postgres_keeps_every_durability_setting()
    {
        var args = await PostgresArgumentsAsync(throwaway: false);

        Assert.DoesNotContain("fsync=off", args);
        Assert.DoesNotContain(args, a => a.StartsWith("synchronous_commit", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> PostgresArgumentsAsync(bool throwaway)
    {
        using var folder = new TempFolder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var entryPoint = Assembly.LoadFrom(AppHostProcess.DllPath).EntryPoint?.DeclaringType
            ?? throw new InvalidOperationException($"{AppHostProcess.DllPath} has no entry point.");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync(entryPoint,
            [$"--ShopAspire:DataRoot={folder.Path}", $"--ShopAspire:ThrowawayData={throwaway}", "--ShopAspire:Servers=native"],
            (_, _) => { },
            timeout.Token);
        var postgres = builder.Resources.OfType<NativePostgresServerResource>().Single();
        var values = new List<string>();
        foreach (var callback in postgres.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            var context = new CommandLineArgsCallbackContext([], postgres, timeout.Token);
            await callback.Callback(context);
            values.AddRange(context.Args.OfType<string>());
        }
        return values;
    }
}
