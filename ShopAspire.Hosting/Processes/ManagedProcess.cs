using System.Diagnostics;

namespace ShopAspire.Hosting.Processes;

/// <summary>
/// A child process the AppHost owns: output captured into a <see cref="ResourceLog"/>, stopped
/// gracefully with a signal, killed with its whole tree when it does not stop in time.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly int _stopSignal;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process, int stopSignal)
    {
        _process = process;
        _stopSignal = stopSignal;
    }

    public int Id => _process.Id;

    public string Description { get; private init; } = "";

    /// <summary>Completes with the exit code when the process ends, for whatever reason.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public static ManagedProcess Start(ProcessSpec spec, ResourceLog log)
    {
        var (fileName, arguments) = spec.RunAsUser is { } user && UnixProcess.IsRoot
            ? ("setpriv", new[] { $"--reuid={user}", $"--regid={user}", "--init-groups", "--", spec.FileName }.Concat(spec.Arguments).ToArray())
            : (spec.FileName, spec.Arguments.ToArray());

        // Its own session: Ctrl+C in the terminal reaches only the AppHost, which then stops the
        // children in dependency order, instead of every process receiving SIGINT at once.
        if (File.Exists("/usr/bin/setsid"))
        {
            arguments = [fileName, .. arguments];
            fileName = "/usr/bin/setsid";
        }

        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in spec.Environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, spec.StopSignal) { Description = $"{spec.FileName} {string.Join(' ', spec.Arguments)}" };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Append(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Append(e.Data); };
        process.Exited += (_, _) => managed.OnExited();

        log.Append($"[apphost] starting: {managed.Description}");
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ProcessRegistry.Add(process.Id);
        return managed;
    }

    private void OnExited()
    {
        int code;
        try
        {
            // WaitForExit() without a timeout also drains the redirected output.
            _process.WaitForExit();
            code = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }
        ProcessRegistry.Remove(_process.Id);
        _exited.TrySetResult(code);
    }

    /// <summary>Sends the stop signal, waits up to <paramref name="timeout"/>, then kills the process tree.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (HasExited)
        {
            return;
        }
        UnixProcess.Signal(_process.Id, _stopSignal);
        if (await Task.WhenAny(Exited, Task.Delay(timeout)) == Exited)
        {
            return;
        }
        Kill();
        await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }
}

/// <summary>What to run, as whom, with which environment and how to ask it to stop.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>When the AppHost runs as root, run the process as this user (postgres refuses root).</summary>
    public string? RunAsUser { get; init; }

    public int StopSignal { get; init; } = UnixProcess.SigTerm;
}
