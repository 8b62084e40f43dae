using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Shop.IntegrationTests.Hostile;

/// <summary>One generated hostile request and what must come back.</summary>
/// <param name="Target">Where it goes, e.g. "POST /api/v1/products" or "form /signin".</param>
/// <param name="Slot">Which input carries the hostile value, e.g. "body name", "query q", "header Idempotency-Key".</param>
/// <param name="Field">The field the 400 problem must name; null when any 4xx will do (a route that does not match, say).</param>
/// <param name="Also401">A 401 is the right answer too (sign-in hides its length rules behind "invalid credentials").</param>
public sealed record FuzzCase(string Target, string Slot, HostileText Value, HttpClient Client, Func<HttpRequestMessage> Request, string? Field, bool Also401 = false)
{
    public override string ToString() => $"{Target} [{Slot} = {Value}]";
}

/// <summary>Sends fuzz cases a few at a time and checks every answer: never 5xx, never accepted, the field named.</summary>
public sealed class FuzzRun
{
    private readonly ConcurrentBag<string> _failures = [];
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private int _sent;
    private int _unsendable;

    public int Sent => _sent;

    public int Unsendable => _unsendable;

    public int ServerErrors => _statuses.Where(s => s.Key >= 500).Sum(s => s.Value);

    public IReadOnlyList<string> Failures => [.. _failures.Order(StringComparer.Ordinal)];

    public TimeSpan Elapsed { get; private set; }

    public string StatusSummary => string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));

    public async Task SendAsync(IReadOnlyList<FuzzCase> cases, int parallelism = 12)
    {
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (fuzz, cancellationToken) =>
        {
            HttpRequestMessage request;
            HttpResponseMessage response;
            try
            {
                request = fuzz.Request();
                response = await fuzz.Client.SendAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException { InnerException: not IOException } or FormatException or ArgumentException)
            {
                // The client library itself refuses to put it on the wire (e.g. a header value it
                // considers invalid): nothing reached the server.
                Interlocked.Increment(ref _unsendable);
                return;
            }

            using (request)
            using (response)
            {
                Interlocked.Increment(ref _sent);
                var status = (int)response.StatusCode;
                _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (Verdict(fuzz, status, body) is { } failure)
                {
                    _failures.Add($"{fuzz}: {failure}");
                }
            }
        });
        Elapsed += started.Elapsed;
    }

    private static string? Verdict(FuzzCase fuzz, int status, string body)
    {
        if (status >= 500)
        {
            return $"{status} (server error) {Shorten(body)}";
        }
        if (status < 400)
        {
            return $"{status}: the hostile value was accepted";
        }
        if (fuzz.Field is null || (fuzz.Also401 && status == 401))
        {
            return null;
        }
        if (status != 400)
        {
            return $"{status} instead of 400 naming '{fuzz.Field}' {Shorten(body)}";
        }
        var fields = ProblemFields(body);
        // "metadata.note" names the field "metadata" too, more precisely.
        return fields.Any(f => f.Equals(fuzz.Field, StringComparison.OrdinalIgnoreCase)
                || f.StartsWith(fuzz.Field + ".", StringComparison.OrdinalIgnoreCase)
                || f.StartsWith(fuzz.Field + "[", StringComparison.OrdinalIgnoreCase))
            ? null
            : $"400 names [{string.Join(", ", fields)}] instead of '{fuzz.Field}' {Shorten(body)}";
    }

    private static string[] ProblemFields(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                ? [.. errors.EnumerateObject().Select(e => e.Name)]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "...";

    /// <summary>Plain HttpClient for hostile traffic: no retries, no redirects, headers written byte for byte.</summary>
    public static HttpClient CreateClient(Uri baseAddress, CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            MaxConnectionsPerServer = 16,
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
