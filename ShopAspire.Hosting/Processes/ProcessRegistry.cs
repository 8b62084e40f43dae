using System.Collections.Concurrent;

namespace ShopAspire.Hosting.Processes;

/// <summary>
/// Every child process started by this AppHost process. On an unexpected exit of the AppHost
/// (unhandled exception, SIGTERM from outside) the remaining children are killed so nothing is
/// left behind; a normal stop has already stopped them in order.
/// </summary>
internal static class ProcessRegistry
{
    private static readonly ConcurrentDictionary<int, byte> Pids = new();

    static ProcessRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static IReadOnlyCollection<int> Live => Pids.Keys.Where(UnixProcess.IsAlive).ToArray();

    public static void Add(int pid) => Pids.TryAdd(pid, 0);

    public static void Remove(int pid) => Pids.TryRemove(pid, out _);

    public static void KillAll()
    {
        foreach (var pid in Pids.Keys)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already exited.
            }
        }
    }
}
