using System.Collections.Concurrent;

namespace Shop.IntegrationTests.ApiDocs;

/// <summary>
/// Collects, for the whole stack fixture, every exchange the tests' API clients made and what
/// the live OpenAPI document says is wrong with it. <see cref="ContractCheckHandler"/> feeds it;
/// the contract test (and, for traffic after it, the fixture's dispose) fails on violations.
/// </summary>
public sealed class ContractRecorder
{
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, int> _operationsSeen = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private OpenApiContract? _contract;
    private int _reported;

    /// <summary>The API's address; only its /api/ traffic is checked (set once the stack runs).</summary>
    public Uri? ApiBase { get; set; }

    public int Exchanges => _operationsSeen.Values.Sum();

    public IReadOnlyDictionary<string, int> OperationsSeen => _operationsSeen;

    public IReadOnlyList<string> Violations => [.. _violations];

    public bool Covers(Uri? uri) =>
        ApiBase is { } api && uri is not null && uri.IsAbsoluteUri
        && Uri.Compare(uri, api, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && uri.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal);

    public async Task RecordAsync(RecordedExchange exchange)
    {
        var contract = await ContractAsync();
        _operationsSeen.AddOrUpdate(contract.FindOperation(exchange.Method, exchange.Path) ?? $"{exchange.Method} {exchange.Path} (not in the document)", 1, (_, n) => n + 1);
        foreach (var violation in contract.Check(exchange))
        {
            _violations.Enqueue(violation);
        }
    }

    /// <summary>The document as the running API serves it, read once, without going through the check.</summary>
    public async Task<OpenApiContract> ContractAsync()
    {
        if (_contract is { } loaded)
        {
            return loaded;
        }
        await _loading.WaitAsync();
        try
        {
            if (_contract is null)
            {
                using var http = new HttpClient { BaseAddress = ApiBase ?? throw new InvalidOperationException("The API's address is not known yet.") };
                _contract = new OpenApiContract(await http.GetStringAsync("/openapi/v1.json"));
            }
            return _contract;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Violations not yet reported by an earlier call: each is failed on once.</summary>
    public IReadOnlyList<string> TakeUnreported()
    {
        var all = Violations;
        var from = Interlocked.Exchange(ref _reported, all.Count);
        return [.. all.Skip(Math.Min(from, all.Count))];
    }

    /// <summary>Violations grouped and counted, for a failure message a person can read.</summary>
    public static string Describe(IEnumerable<string> violations) =>
        string.Join("\n", violations.GroupBy(v => v).OrderByDescending(g => g.Count()).Select(g => g.Count() > 1 ? $"{g.Count()}x {g.Key}" : g.Key));
}
