namespace Shop.Testing;

/// <summary>
/// Starts the stack's projects straight from their build output rather than through `dotnet run`.
/// DCP starts every project as <c>dotnet run --project P --no-build --configuration C
/// --no-launch-profile [args]</c>, and that wrapper evaluates the project with MSBuild before it
/// starts the app host in bin/C/&lt;tfm&gt;/, then stays alive as its parent: measured here,
/// 2.2 CPU-s per start against 0.45 s for the service itself, and a suite starts about 40 (three
/// stacks with replicas, and every restart in the drills) on a 2-core machine.
/// </summary>
/// <remarks>
/// Aspire has no setting for this (its DCP executor names "dotnet" for every project), so the test
/// host puts a <c>dotnet</c> script first on the PATH that DCP inherits. For exactly that form of
/// `dotnet run`, with the app host built, it execs the app host with the same arguments, working
/// directory and environment, plus the DOTNET_ROOT that `dotnet run` would give it: the process
/// DCP watches, stops and kills is then the service itself. Anything else (smtp4dev's
/// `dotnet tool run`, a project not built) goes to the real dotnet unchanged.
/// </remarks>
internal static class DirectProjectLaunch
{
    private static readonly Lazy<string?> ShimFolder = new(() => OperatingSystem.IsWindows() ? null : WriteShim());

    /// <summary>Puts the shim first on this process's PATH (and so DCP's); once per test host.</summary>
    public static void Enable()
    {
        if (!OperatingSystem.IsLinux() || ShimFolder.Value is not { } folder) // DCP runs only there in this repository's tests
        {
            return;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(':').Contains(folder))
        {
            Environment.SetEnvironmentVariable("PATH", $"{folder}:{path}");
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string? WriteShim()
    {
        // This runtime's own root (…/shared/Microsoft.NETCore.App/<version>/ → …/), where the real dotnet is.
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var realDotnet = Path.Combine(root, "dotnet");
        if (!File.Exists(realDotnet))
        {
            return null;
        }
        var folder = Path.Combine(AppContext.BaseDirectory, "direct-project-launch");
        Directory.CreateDirectory(folder);
        var shim = Path.Combine(folder, "dotnet");
        var staging = $"{shim}.{Environment.ProcessId}";
        File.WriteAllText(staging, Script.Replace("@ROOT@", root, StringComparison.Ordinal).Replace("@DOTNET@", realDotnet, StringComparison.Ordinal));
        File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.Move(staging, shim, overwrite: true);
        return folder;
    }

    // POSIX sh: parse() works on its own copy of the arguments, so the fallback passes them on untouched.
    private const string Script = """
        #!/bin/sh
        # Written by Shop.Testing's DirectProjectLaunch: see there why.
        parse() {
          [ "$1" = run ] && [ "$2" = --project ] && [ -n "$3" ] || return 1
          project=$3; config=Debug; used=3; shift 3
          while [ $# -gt 0 ]; do
            case "$1" in
              --no-build | --no-launch-profile) shift; used=$((used + 1)) ;;
              --configuration) [ $# -ge 2 ] || return 1; config=$2; shift 2; used=$((used + 2)) ;;
              --) used=$((used + 1)); break ;;
              *) break ;;
            esac
          done
          name=$(basename "$project" .csproj)
          for candidate in "$(dirname "$project")/bin/$config"/*/"$name"; do
            [ -f "$candidate" ] && [ -x "$candidate" ] && app=$candidate && return 0
          done
          return 1
        }
        case " $* " in
          *" --no-build "*)
            if parse "$@"; then
              shift "$used"
              export DOTNET_ROOT="@ROOT@"
              exec "$app" "$@"
            fi ;;
        esac
        exec "@DOTNET@" "$@"
        """;
}
