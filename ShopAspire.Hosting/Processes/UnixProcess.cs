using System.Runtime.InteropServices;

namespace ShopAspire.Hosting.Processes;

/// <summary>
/// The few POSIX calls .NET does not expose: sending a chosen signal (SIGTERM/SIGINT for a graceful
/// stop; Process.Kill only sends SIGKILL), the effective user id, and chown for data directories
/// that an unprivileged server user must own.
/// </summary>
internal static partial class UnixProcess
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    public static bool IsAlive(int pid) => kill(pid, 0) == 0;

    public static void Chown(string path, int uid, int gid)
    {
        if (chown(path, uid, gid) != 0)
        {
            throw new IOException($"chown {uid}:{gid} '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>uid and gid of a local user, read from /etc/passwd.</summary>
    public static (int Uid, int Gid)? LookupUser(string name)
    {
        if (!File.Exists("/etc/passwd"))
        {
            return null;
        }
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var parts = line.Split(':');
            if (parts.Length > 3 && parts[0] == name)
            {
                return (int.Parse(parts[2]), int.Parse(parts[3]));
            }
        }
        return null;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, int owner, int group);
}
