using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Testing;

/// <summary>
/// Keeps the last lines of every resource instance's console output, read from Aspire's
/// ResourceLoggerService (what the dashboard's console view shows), so a test can assert on a log
/// line and a failing fixture can say why.
/// </summary>
public sealed class ResourceLogs(DistributedApplication app) : IAsyncDisposable
{
    private const int Keep = 5_000;
    private readonly ConcurrentDictionary<string, Queue<string>> _lines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watchers = [];

    /// <summary>Follows one more instance's console output, from its first line.</summary>
    internal void Follow(string instanceId)
    {
        var logger = app.Services.GetRequiredService<ResourceLoggerService>();
        var lines = _lines.GetOrAdd(instanceId, _ => new Queue<string>());
        lock (_watchers)
        {
            _watchers.Add(Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in logger.WatchAsync(instanceId).WithCancellation(_stop.Token))
                    {
                        lock (lines)
                        {
                            foreach (var line in batch)
                            {
                                lines.Enqueue(line.Content);
                                if (lines.Count > Keep)
                                {
                                    lines.Dequeue();
                                }
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }));
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> lines of a resource instance (its id, e.g. <c>worker-abcd1234</c>),
    /// or of every instance of a resource by name, instance after instance.
    /// </summary>
    public IReadOnlyList<string> Tail(string resourceNameOrId, int count)
    {
        var instances = _lines.Where(kv => kv.Key == resourceNameOrId || InstanceOf(kv.Key, resourceNameOrId)).OrderBy(kv => kv.Key, StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var (_, lines) in instances)
        {
            lock (lines)
            {
                result.AddRange(lines.Skip(Math.Max(0, lines.Count - count)));
            }
        }
        return result;
    }

    // DCP names an instance <resource>-<8 random letters>.
    private static bool InstanceOf(string id, string resourceName) =>
        id.Length == resourceName.Length + 9 && id.StartsWith(resourceName + "-", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] watchers;
        lock (_watchers)
        {
            watchers = [.. _watchers];
        }
        await Task.WhenAll(watchers).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
