using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Shop.Seeder;

/// <summary>
/// Page 1 vs a deep page of the biggest seeded customer's order history, over real HTTP against
/// a running API, measured side by side (alternating requests) so both see the same machine load.
/// </summary>
public sealed class OrdersPageBenchmark(string connectionString, Uri api, TextWriter log)
{
    public sealed record Result(int DeepPage, int PageSize, int Rounds, double Page1MedianMs, double DeepMedianMs, double Page1P95Ms, double DeepP95Ms)
    {
        public double Ratio => DeepMedianMs / Page1MedianMs;
    }

    public async Task<Result> RunAsync(int deepPage, int pageSize, int rounds, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var email = SeedOptions.EmailOf(0);
        using (var signIn = await http.PostAsJsonAsync("/api/v1/users/token", new { email, password = SeedOptions.CustomerPassword }, cancellationToken))
        {
            signIn.EnsureSuccessStatusCode();
            var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // The cursor the API would hand out after page deepPage - 1 is the (created_at, id) of that
        // page's last order. Reading it with one OFFSET query saves walking 10,000 pages first.
        var (createdAt, id) = await LastOrderBeforePageAsync(email, (long)pageSize * (deepPage - 1), cancellationToken);
        var deepUrl = $"/api/v1/orders?pageSize={pageSize}&cursor={EncodeCursor(createdAt, id)}";
        var firstUrl = $"/api/v1/orders?pageSize={pageSize}";

        var deepPageItems = await http.GetFromJsonAsync<JsonElement>(deepUrl, cancellationToken);
        if (deepPageItems.GetProperty("items").GetArrayLength() != pageSize)
        {
            throw new InvalidOperationException($"Page {deepPage} is not a full page: seed more orders (the biggest customer needs {pageSize * deepPage:N0}).");
        }

        for (var i = 0; i < 20; i++)
        {
            await GetAsync(http, firstUrl, cancellationToken);
            await GetAsync(http, deepUrl, cancellationToken);
        }

        var first = new List<double>(rounds);
        var deep = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            first.Add(await GetAsync(http, firstUrl, cancellationToken));
            deep.Add(await GetAsync(http, deepUrl, cancellationToken));
        }
        var result = new Result(deepPage, pageSize, rounds, Percentile(first, 0.5), Percentile(deep, 0.5), Percentile(first, 0.95), Percentile(deep, 0.95));
        log.WriteLine($"page 1:      median {result.Page1MedianMs:0.00} ms, p95 {result.Page1P95Ms:0.00} ms");
        log.WriteLine($"page {deepPage,-6:N0}: median {result.DeepMedianMs:0.00} ms, p95 {result.DeepP95Ms:0.00} ms");
        log.WriteLine($"ratio (median page {deepPage:N0} / median page 1): {result.Ratio:0.00} over {rounds} alternating rounds of {pageSize} orders");
        return result;
    }

    private async Task<(DateTime CreatedAt, Guid Id)> LastOrderBeforePageAsync(string email, long skip, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT o.created_at, o.id
            FROM orders o JOIN users u ON u.id = o.customer_id
            WHERE lower(u.email) = lower(@email) AND o.deleted_at IS NULL
            ORDER BY o.created_at DESC, o.id DESC
            OFFSET @skip LIMIT 1
            """, connection);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("skip", skip - 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"{email} has fewer than {skip:N0} orders: seed more orders.");
        }
        return (reader.GetDateTime(0), reader.GetGuid(1));
    }

    /// <summary>
    /// Same bytes as Shop.Api's KeysetCursor (Shop.Api/Paging): version 1, big-endian microseconds
    /// since the epoch, then the id.
    /// </summary>
    public static string EncodeCursor(DateTime createdAt, Guid id)
    {
        Span<byte> bytes = stackalloc byte[25];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], (createdAt.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10);
        id.TryWriteBytes(bytes[9..], bigEndian: true, out _);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    private static async Task<double> GetAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
