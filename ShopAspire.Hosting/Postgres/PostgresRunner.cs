using Npgsql;
using ShopAspire.Hosting.Infrastructure;
using ShopAspire.Hosting.Processes;

namespace ShopAspire.Hosting;

/// <summary>
/// Runs a private PostgreSQL instance: initdb on first use, then postgres on a free loopback port
/// with its socket in the stack's folder. As root, both run as the unprivileged postgres user
/// (initdb refuses root). A test stack trades durability for speed.
/// </summary>
internal sealed class PostgresRunner : IResourceRunner
{
    private const string ServerUser = "postgres";
    private readonly PostgresServerResource _resource;
    private readonly RunContext _context;
    private readonly string _folder;
    private readonly bool _persistent;
    private ManagedProcess? _process;

    public PostgresRunner(PostgresServerResource resource, RunContext context)
    {
        _resource = resource;
        _context = context;
        _folder = context.Directories.ForResource(resource.Name);
        _persistent = !context.Directories.IsEphemeral && resource.Annotations.OfType<PersistentDataAnnotation>().Any();
        resource.Endpoint.AllocatedPort = resource.Endpoint.FixedPort ?? context.Ports.Allocate();
        resource.Password = GeneratedPassword.GetOrCreate(_folder, _persistent);
    }

    private string DataDirectory => Path.Combine(_folder, "data");

    private string SocketDirectory => Path.Combine(_folder, "run");

    public Task<int> Exited => _process?.Exited ?? new TaskCompletionSource<int>().Task;

    public int? ProcessId => _process?.Id;

    public IReadOnlyList<Uri> Urls => [new($"tcp://{_resource.Endpoint.Host}:{_resource.Endpoint.Port}")];

    // A restart (StartResourceAsync) keeps the data of this run; only the first start throws old data away.
    private bool _startedBefore;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var bin = PostgresBinaries.FindBinDirectory() ?? throw new DistributedApplicationException("PostgreSQL server binaries not found under /usr/lib/postgresql.");
        var log = _context.LogFor(_resource.Name);
        if (!_persistent && !_startedBefore && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true); // No WithDataVolume: every run starts empty, as a container would.
        }
        Directory.CreateDirectory(SocketDirectory);
        var owner = UnixProcess.IsRoot ? UnixProcess.LookupUser(ServerUser) ?? throw new DistributedApplicationException("The 'postgres' user does not exist; install the postgresql package.") : ((int, int)?)null;
        if (owner is { } o)
        {
            UnixProcess.Chown(_folder, o.Item1, o.Item2);
            UnixProcess.Chown(SocketDirectory, o.Item1, o.Item2);
        }

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(bin, owner, log, cancellationToken);
        }

        List<string> args =
        [
            "-D", DataDirectory, "-p", _resource.Endpoint.Port.ToString(), "-k", SocketDirectory,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
        ];
        if (_context.Directories.IsEphemeral)
        {
            // Throwaway test data: a crash may lose it, which is fine, and tests run much faster.
            args.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }
        _process = ManagedProcess.Start(
            new ProcessSpec(Path.Combine(bin, "postgres"), args) { RunAsUser = ServerUser, StopSignal = UnixProcess.SigInt, WorkingDirectory = _folder },
            log);
        _startedBefore = true;
    }

    private async Task InitDbAsync(string bin, (int, int)? owner, ResourceLog log, CancellationToken cancellationToken)
    {
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true); // A half-initialised folder from an interrupted run.
        }
        var passwordFile = Path.Combine(_folder, ".initdb-password");
        await File.WriteAllTextAsync(passwordFile, _resource.Password, cancellationToken);
        if (owner is { } o)
        {
            UnixProcess.Chown(passwordFile, o.Item1, o.Item2);
        }
        try
        {
            await using var initdb = ManagedProcess.Start(
                new ProcessSpec(Path.Combine(bin, "initdb"),
                    ["-D", DataDirectory, "-U", PostgresServerResource.UserName, "-A", "scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"])
                { RunAsUser = ServerUser, WorkingDirectory = _folder },
                log);
            var code = await initdb.Exited.WaitAsync(cancellationToken);
            if (code != 0)
            {
                throw new DistributedApplicationException($"initdb failed with exit code {code}:\n{string.Join('\n', log.Tail(15))}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection($"{_resource.GetConnectionString()};Database=postgres;Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            await _process.StopAsync(_context.Options.ShutdownTimeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
