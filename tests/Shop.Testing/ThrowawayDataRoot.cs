namespace Shop.Testing;

/// <summary>
/// Where a test stack's servers keep their throwaway files: in RAM (/dev/shm) when it has room,
/// else the temp folder. Durability is worthless there, and on a shared CI disk the servers'
/// writes and fsyncs (mail's SQLite store above all) queued behind other jobs for seconds; in
/// RAM they cost nothing, while every server still keeps its files across a restart of its
/// resource, as the crash drills and the mail-restart test need.
/// </summary>
public static class ThrowawayDataRoot
{
    /// <summary>Room for the failure stack's million seeded orders and its WAL, with margin.</summary>
    private const long RoomNeeded = 4L << 30;
    private const string Ram = "/dev/shm";

    /// <summary>A new folder name (not created) for one stack.</summary>
    public static string NewPath()
    {
        var name = $"shopaspire-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48];
        return Path.Combine(HasRoom(Ram) ? Ram : Path.GetTempPath(), name);
    }

    private static bool HasRoom(string path)
    {
        try
        {
            return OperatingSystem.IsLinux() && Directory.Exists(path) && new DriveInfo(path).AvailableFreeSpace >= RoomNeeded;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }
}
