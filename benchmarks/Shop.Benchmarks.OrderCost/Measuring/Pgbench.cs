using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Shop.Benchmarks.OrderCost.Measuring;

/// <summary>
/// pgbench's TPC-B on the stack's own Postgres server, in a scratch database beside shopdb
/// (created, initialised, measured and dropped in the run), through the same address the
/// services use: the yardstick for what this server does per second on this machine right now.
/// </summary>
public static partial class Pgbench
{
    public const string ScratchDatabase = "order_cost_pgbench";

    public static string? Binary()
    {
        string[] candidates = ["/usr/lib/postgresql/15/bin/pgbench", .. Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", "pgbench"))
            : []];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Initialises the scratch database (pgbench -i -s <paramref name="scale"/>).</summary>
    public static async Task InitialiseAsync(string binary, string superuser, int scale, TextWriter log, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(superuser + ";Pooling=false"))
        {
            await connection.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {ScratchDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {ScratchDatabase}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var clock = Stopwatch.StartNew();
        await RunAsync(binary, superuser, ["-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        log.WriteLine($"pgbench -i -s {scale}: {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <returns>Transactions per second (without the initial connection time).</returns>
    public static async Task<double> RunTpcbAsync(string binary, string superuser, int clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        var output = await RunAsync(binary, superuser,
            ["-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
             "-T", ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "-n"], cancellationToken);
        var match = TpsLine().Match(output);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No tps in pgbench's output:\n{output}");
    }

    public static async Task DropAsync(string superuser, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(superuser + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {ScratchDatabase} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string> RunAsync(string binary, string superuser, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var server = new NpgsqlConnectionStringBuilder(superuser);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.ArgumentList.Add(ScratchDatabase);
        start.Environment["PGHOST"] = server.Host;
        start.Environment["PGPORT"] = server.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = server.Username;
        start.Environment["PGPASSWORD"] = server.Password; // environment, not the command line
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout + await stderr;
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"pgbench {string.Join(' ', start.ArgumentList.SkipLast(1))} exited {process.ExitCode}:\n{output}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
