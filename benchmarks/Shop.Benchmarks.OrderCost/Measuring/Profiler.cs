using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Shop.Benchmarks.OrderCost.Measuring;

/// <summary>
/// Issue 11's part 0, beside the figures: while checkouts run, dotnet-trace (sampled thread
/// stacks, speedscope format) and dotnet-counters of one api and one worker instance, and Postgres's
/// statement statistics: pg_stat_statements when the server preloads it (the benchmark's own
/// stack does in a profiling run), else the per-table counters of pg_stat_user_tables and
/// pg_stat_database, which every server keeps.
/// </summary>
public sealed class Profiler(string directory, string repositoryRoot, TextWriter log)
{
    private readonly List<Process> _tools = [];

    /// <summary>Starts the tools on the given processes for <paramref name="duration"/>.</summary>
    public void Start(IReadOnlyDictionary<string, int> targets, TimeSpan duration)
    {
        Directory.CreateDirectory(directory);
        var span = TimeSpan.FromSeconds(Math.Ceiling(duration.TotalSeconds)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        foreach (var (name, pid) in targets)
        {
            var pidText = pid.ToString(CultureInfo.InvariantCulture);
            // dotnet-sampled-thread-time: managed stacks of every thread ~100 times a second over
            // EventPipe (the kernel's cpu-sampling needs `collect-linux` and perf events); in
            // speedscope, a thread's samples that are not waiting are where its CPU went.
            _tools.Add(StartTool(name + "-trace", "dotnet-trace", "collect", "-p", pidText, "--profile", "dotnet-sampled-thread-time",
                "--format", "speedscope", "--duration", span, "-o", Path.GetFullPath(Path.Combine(directory, $"{name}.nettrace"))));
            _tools.Add(StartTool(name + "-counters", "dotnet-counters", "collect", "-p", pidText, "--format", "csv", "--refresh-interval", "1",
                "--counters", "System.Runtime,Microsoft.AspNetCore.Hosting,Microsoft-AspNetCore-Server-Kestrel,System.Net.Http,Npgsql",
                "--duration", span, "-o", Path.GetFullPath(Path.Combine(directory, $"{name}-counters.csv"))));
        }
    }

    /// <summary>Waits for the tools to finish writing (speedscope conversion included).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var tool in _tools)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromMinutes(2));
            try
            {
                await tool.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                tool.Kill(entireProcessTree: true);
                log.WriteLine($"profiling tool {tool.StartInfo.ArgumentList[0]} did not finish; stopped it");
            }
            tool.Dispose();
        }
        _tools.Clear();
    }

    private Process StartTool(string logName, params string[] args)
    {
        // benchmarks/order-cost/.config/dotnet-tools.json pins the versions (profile.sh restores them);
        // run from that folder so dotnet finds that manifest.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(repositoryRoot, "benchmarks", "order-cost"), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {args[0]}.");
        var output = File.CreateText(Path.Combine(directory, logName + ".log"));
        process.OutputDataReceived += (_, e) => Write(output, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, e.Data);
        process.Exited += (_, _) => { lock (output) { output.Dispose(); } };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(StreamWriter output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            try
            {
                output.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Resets Postgres's statement statistics; false if pg_stat_statements is not loaded.</summary>
    public static async Task<bool> ResetStatementsAsync(string superuserShopDb, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(superuserShopDb + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            await using var reset = new NpgsqlCommand("SELECT pg_stat_statements_reset(); SELECT pg_stat_reset();", connection);
            await reset.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ObjectNotInPrerequisiteState or PostgresErrorCodes.UndefinedFile or PostgresErrorCodes.FeatureNotSupported)
        {
            await using var reset = new NpgsqlCommand("SELECT pg_stat_reset()", connection);
            await reset.ExecuteNonQueryAsync(cancellationToken);
            return false;
        }
    }

    /// <summary>Writes Postgres's statistics since the reset to pg-statements.md, per paid order where it can.</summary>
    public async Task<string> WriteStatementsAsync(string superuserShopDb, bool statements, long checkouts, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(superuserShopDb + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Postgres under {checkouts:N0} spread checkouts (profiled phase)");
        text.AppendLine();
        if (statements)
        {
            text.AppendLine("Top statements by total execution time (pg_stat_statements, track = all; \"per checkout\" divides by the checkouts answered 201 in the phase, the pipeline after them included):");
            text.AppendLine();
            text.AppendLine("| total ms | calls | calls per checkout | mean ms | rows | shared blks hit | statement |");
            text.AppendLine("|---:|---:|---:|---:|---:|---:|---|");
            await using var top = new NpgsqlCommand("""
                SELECT total_exec_time, calls, mean_exec_time, rows, shared_blks_hit, regexp_replace(query, '\s+', ' ', 'g')
                FROM pg_stat_statements
                ORDER BY total_exec_time DESC LIMIT 30
                """, connection);
            await using var reader = await top.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var query = reader.GetString(5);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {reader.GetDouble(0):0} | {reader.GetInt64(1):N0} | {reader.GetInt64(1) / (double)Math.Max(1, checkouts):0.00} | {reader.GetDouble(2):0.000} | {reader.GetInt64(3):N0} | {reader.GetInt64(4):N0} | `{(query.Length > 220 ? query[..220] + "…" : query).Replace("|", "\\|", StringComparison.Ordinal)}` |");
            }
            text.AppendLine();
        }
        else
        {
            text.AppendLine("pg_stat_statements is not loaded in this server (a running stack's Postgres, or containers): statement-level figures are missing; the per-table and per-database counters below are what every server keeps.");
            text.AppendLine();
        }

        text.AppendLine("Per table (pg_stat_user_tables since the reset):");
        text.AppendLine();
        text.AppendLine("| table | seq scans | index scans | inserted | updated (HOT) | deleted | per checkout: writes |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        await using (var tables = new NpgsqlCommand("""
            SELECT relname, seq_scan, COALESCE(idx_scan, 0), n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del
            FROM pg_stat_user_tables
            WHERE seq_scan + COALESCE(idx_scan, 0) + n_tup_ins + n_tup_upd + n_tup_del > 0
            ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC, relname
            """, connection))
        await using (var reader = await tables.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var writes = reader.GetInt64(3) + reader.GetInt64(4) + reader.GetInt64(6);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {reader.GetString(0)} | {reader.GetInt64(1):N0} | {reader.GetInt64(2):N0} | {reader.GetInt64(3):N0} | {reader.GetInt64(4):N0} ({reader.GetInt64(5):N0}) | {reader.GetInt64(6):N0} | {writes / (double)Math.Max(1, checkouts):0.00} |");
            }
        }
        text.AppendLine();
        await using (var database = new NpgsqlCommand("SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()", connection))
        await using (var reader = await database.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"shopdb (pg_stat_database): {reader.GetInt64(0):N0} commits ({reader.GetInt64(0) / (double)Math.Max(1, checkouts):0.0} per checkout), {reader.GetInt64(1):N0} rollbacks, " +
                $"{reader.GetInt64(3):N0} tuples fetched, {reader.GetInt64(4):N0} inserted, {reader.GetInt64(5):N0} updated, {reader.GetInt64(6):N0} buffer hits, {reader.GetInt64(7):N0} reads.");
        }
        var path = Path.Combine(directory, "pg-statements.md");
        await File.WriteAllTextAsync(path, text.ToString(), cancellationToken);
        return path;
    }
}
