using System.Diagnostics;
using System.Text;
using ShopAspire.Hosting.Infrastructure;

namespace ShopAspire.Hosting;

/// <summary>
/// What a developer sees in the terminal: one line per state change, and the table of resources
/// with their URLs once everything is healthy (or has failed), with the time it took.
/// </summary>
internal sealed class ConsoleResourceReporter : IDisposable
{
    private readonly ResourceNotificationService _notifications;
    private readonly TextWriter _output;
    private readonly StackDirectories _directories;
    private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private bool _tablePrinted;

    public ConsoleResourceReporter(ResourceNotificationService notifications, TextWriter output, StackDirectories directories)
    {
        _notifications = notifications;
        _output = output;
        _directories = directories;
        _notifications.StateChanged += OnStateChanged;
        _output.WriteLine($"ShopAspire AppHost: data and logs in {directories.Root}");
    }

    private void OnStateChanged(ResourceSnapshot snapshot, ResourceSnapshot? previous)
    {
        lock (_gate)
        {
            if (snapshot.State is ResourceState.NotStarted)
            {
                return;
            }
            var detail = snapshot.Message is null ? "" : $" ({snapshot.Message})";
            _output.WriteLine($"[{_sinceStart.Elapsed.TotalSeconds,6:0.0}s] {snapshot.Name,-16} {snapshot.State}{detail}");

            var all = _notifications.Snapshots;
            if (!_tablePrinted && all.All(s => s.State == ResourceState.Healthy || s.IsTerminal))
            {
                _tablePrinted = true;
                _output.WriteLine(Table(all, _sinceStart.Elapsed, _directories));
            }
        }
    }

    public static string Table(IEnumerable<ResourceSnapshot> snapshots, TimeSpan elapsed, StackDirectories directories)
    {
        var rows = snapshots.OrderBy(s => s.Type == "Project").ThenBy(s => s.Name).ToArray();
        var nameWidth = rows.Select(r => r.Name.Length).Append("Resource".Length).Max();
        var typeWidth = rows.Select(r => r.Type.Length).Append("Type".Length).Max();
        string Line(string name, string type, string state, string endpoints) =>
            $"{name.PadRight(nameWidth)}  {type.PadRight(typeWidth)}  {state,-13} {endpoints}";

        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(Line("Resource", "Type", "State", "Endpoints"));
        text.AppendLine(new string('-', 78));
        foreach (var row in rows)
        {
            text.AppendLine(Line(row.Name, row.Type, row.State.ToString(), string.Join(' ', row.Urls)));
        }
        text.AppendLine(new string('-', 78));
        var healthy = rows.All(r => r.State == ResourceState.Healthy);
        text.AppendLine(healthy
            ? $"All {rows.Length} resources healthy in {elapsed.TotalSeconds:0.0} s. Logs: {directories.Logs}. Press Ctrl+C to stop."
            : $"Some resources are not healthy after {elapsed.TotalSeconds:0.0} s; see above and {directories.Logs}. Press Ctrl+C to stop.");
        return text.ToString();
    }

    public void Dispose() => _notifications.StateChanged -= OnStateChanged;
}
