using Npgsql;
using ShopAspire.Hosting;
using ShopAspire.Hosting.Processes;

namespace ShopAspire.Hosting.Tests;

/// <summary>Real servers, started and stopped by the engine: what `dotnet run` and the test fixture rely on.</summary>
public class ResourceLifecycleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private sealed class MissingProject : IProjectMetadata
    {
        public string ProjectPath => "/nowhere/Missing.csproj";

        public string ExecutablePath => "/nowhere/bin/Missing.dll";
    }

    private static IDistributedApplicationBuilder TestBuilder()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        builder.Options.EphemeralData = true;
        builder.Options.ConsoleReporting = false;
        return builder;
    }

    /// <summary>Processes whose command line names the stack's folder: what `ps` would show of it.</summary>
    private static int[] ProcessesUsing(string stackRoot) =>
        Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Where(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(stackRoot, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .ToArray();

    /// <summary>Every process below this one in the process tree (servers, their workers, epmd).</summary>
    private static int[] Descendants()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                }
                catch (IOException)
                {
                }
            }
        }
        var found = new List<int>();
        var frontier = new Queue<int>([Environment.ProcessId]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(kv => kv.Value == parent))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }
        return [.. found];
    }

    /// <summary>Alive and not a zombie: a container's init may never reap orphans, which is not ours to fix.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    [Fact]
    public async Task Servers_become_healthy_and_stopping_leaves_no_process_and_no_data_behind()
    {
        var builder = TestBuilder();
        var postgres = builder.AddPostgres("postgres");
        postgres.AddDatabase("shopdb");
        builder.AddRedis("cache");
        builder.AddRabbitMQ("messaging").WithManagementPlugin();
        var app = builder.Build();
        string root;
        int[] pids;
        try
        {
            await app.StartAsync();
            await app.ResourceNotifications.WaitForResourceHealthyAsync("shopdb").WaitAsync(Patience);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("messaging").WaitAsync(Patience);

            await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync("shopdb"));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("shopdb", await command.ExecuteScalarAsync());

            root = app.StackRoot!;
            pids = Descendants();
            Assert.Contains(app.ResourceNotifications.Get("cache").ProcessId!.Value, pids);
            Assert.Contains(app.ResourceNotifications.Get("messaging").ProcessId!.Value, pids);
            Assert.NotEmpty(ProcessesUsing(root)); // postgres and beam.smp run from the stack's folder
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.Empty(ProcessesUsing(root));
        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"process {pid} is still alive: {Describe(pid)}"));
        Assert.False(Directory.Exists(root), "a test stack's data must be thrown away");
    }

    [Fact]
    public async Task A_crashed_server_is_reported_as_exited_with_its_last_log_lines()
    {
        var builder = TestBuilder();
        var cache = builder.AddRedis("cache");
        await using var app = builder.Build();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience);
        var redisPid = app.ResourceNotifications.Get("cache").ProcessId!.Value;

        UnixProcess.Signal(redisPid, UnixProcess.SigKill);

        var exited = await app.ResourceNotifications.WaitForResourceAsync("cache", ResourceState.Exited).WaitAsync(Patience);
        Assert.NotEqual(0, exited.ExitCode);
        Assert.Contains("Ready to accept connections", exited.Message);
        await Assert.ThrowsAsync<DistributedApplicationException>(() => app.ResourceNotifications.WaitForResourceHealthyAsync("cache"));
    }

    [Fact]
    public async Task A_resource_waiting_for_a_failed_one_fails_to_start_and_says_why()
    {
        var builder = TestBuilder();
        var broken = builder.AddProject<MissingProject>("broken");
        builder.AddProject<MissingProject>("dependent").WaitFor(broken);
        await using var app = builder.Build();
        await app.StartAsync();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(
            () => app.ResourceNotifications.WaitForResourceHealthyAsync("dependent").WaitAsync(Patience));

        Assert.Contains("dependency 'broken' is FailedToStart", error.Message);
        Assert.Contains("build the solution first", app.ResourceNotifications.Get("broken").Message);
    }

    [Fact]
    public async Task A_fixture_whose_stack_cannot_become_healthy_gets_the_reason_and_no_server_is_left_running()
    {
        var builder = TestBuilder();
        builder.AddRedis("cache");
        builder.AddProject<MissingProject>("broken");
        var app = builder.Build();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience);
        var redisPid = app.ResourceNotifications.Get("cache").ProcessId!.Value;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Testing.HealthyStackExtensions.WaitForHealthyOrStopAsync(app, ["cache", "broken"], Patience));

        Assert.Contains("--- broken: FailedToStart", error.Message);
        Assert.Contains("build the solution first", error.Message);
        Assert.Contains("Ready to accept connections", error.Message); // the healthy server's log is in the report too
        Assert.False(IsRunning(redisPid), "the fixture must not leave the servers it started");
    }

    [Fact]
    public async Task Stack_folders_of_two_test_apps_never_collide()
    {
        var first = TestBuilder();
        first.AddRedis("cache");
        var second = TestBuilder();
        second.AddRedis("cache");
        await using var a = first.Build();
        await using var b = second.Build();

        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        await Task.WhenAll(
            a.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience),
            b.ResourceNotifications.WaitForResourceHealthyAsync("cache").WaitAsync(Patience));

        Assert.NotEqual(a.StackRoot, b.StackRoot);
        Assert.NotEqual(await a.GetConnectionStringAsync("cache"), await b.GetConnectionStringAsync("cache"));
    }
}
