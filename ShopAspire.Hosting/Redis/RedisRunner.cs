using System.Net.Sockets;
using System.Text;
using ShopAspire.Hosting.Infrastructure;
using ShopAspire.Hosting.Processes;

namespace ShopAspire.Hosting;

/// <summary>Runs redis-server on a free loopback port with a generated password.</summary>
internal sealed class RedisRunner : IResourceRunner
{
    private readonly RedisResource _resource;
    private readonly RunContext _context;
    private readonly string _folder;
    private readonly bool _persistent;
    private ManagedProcess? _process;

    public RedisRunner(RedisResource resource, RunContext context)
    {
        _resource = resource;
        _context = context;
        _folder = context.Directories.ForResource(resource.Name);
        _persistent = !context.Directories.IsEphemeral && resource.Annotations.OfType<PersistentDataAnnotation>().Any();
        resource.Endpoint.AllocatedPort = resource.Endpoint.FixedPort ?? context.Ports.Allocate();
        resource.Password = GeneratedPassword.GetOrCreate(_folder, _persistent);
    }

    public Task<int> Exited => _process?.Exited ?? new TaskCompletionSource<int>().Task;

    public int? ProcessId => _process?.Id;

    public IReadOnlyList<Uri> Urls => [new($"tcp://{_resource.Endpoint.Host}:{_resource.Endpoint.Port}")];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var binary = RedisResource.Package.Locate() ?? throw new DistributedApplicationException("redis-server not found.");
        var data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(data);
        // Persistence as WithDataVolume gives it: a snapshot every minute when something changed.
        string[] persistence = _persistent ? ["--save", "60 1", "--appendonly", "no"] : ["--save", "", "--appendonly", "no"];
        _process = ManagedProcess.Start(
            new ProcessSpec(binary,
            [
                "--port", _resource.Endpoint.Port.ToString(), "--bind", "127.0.0.1", "--requirepass", _resource.Password!,
                "--dir", data, "--daemonize", "no", "--protected-mode", "yes", .. persistence,
            ]) { WorkingDirectory = _folder },
            _context.LogFor(_resource.Name));
        return Task.CompletedTask;
    }

    // A RESP round trip (AUTH, PING) is all a readiness probe needs; no client library required.
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync("127.0.0.1", _resource.Endpoint.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {_resource.Password}\r\nPING\r\n"), timeout.Token);
            var reply = new StringBuilder();
            var buffer = new byte[256];
            while (!reply.ToString().Contains("PONG", StringComparison.Ordinal) && !reply.ToString().Contains("-ERR", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }
                reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return reply.ToString().StartsWith("+OK", StringComparison.Ordinal) && reply.ToString().Contains("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
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
