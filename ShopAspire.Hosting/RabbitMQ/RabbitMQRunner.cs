using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ShopAspire.Hosting.Infrastructure;
using ShopAspire.Hosting.Processes;

namespace ShopAspire.Hosting;

/// <summary>
/// Runs a private RabbitMQ node. Debian's /usr/sbin wrapper insists on the rabbitmq user, so the
/// node is started through the package's own script with every path and port of its own, and a
/// private epmd (a system epmd may already hold port 4369, and epmd outlives the node otherwise).
/// </summary>
internal sealed class RabbitMQRunner : IResourceRunner
{
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    // "AMQP" 0 0 9 1: a broker that finished booting answers with a Connection.Start method frame.
    private static readonly byte[] ProtocolHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];

    private readonly RabbitMQServerResource _resource;
    private readonly RunContext _context;
    private readonly string _folder;
    private readonly bool _persistent;
    private readonly int _epmdPort;
    private readonly int _distributionPort;
    private ManagedProcess? _epmd;
    private ManagedProcess? _node;

    public RabbitMQRunner(RabbitMQServerResource resource, RunContext context)
    {
        _resource = resource;
        _context = context;
        _folder = context.Directories.ForResource(resource.Name);
        _persistent = !context.Directories.IsEphemeral && resource.Annotations.OfType<PersistentDataAnnotation>().Any();
        resource.Endpoint.AllocatedPort = resource.Endpoint.FixedPort ?? context.Ports.Allocate();
        resource.ManagementEndpoint.AllocatedPort = resource.ManagementEndpoint.FixedPort ?? context.Ports.Allocate();
        resource.Password = GeneratedPassword.GetOrCreate(_folder, _persistent);
        _epmdPort = context.Ports.Allocate();
        _distributionPort = context.Ports.Allocate();
    }

    public Task<int> Exited => _node?.Exited ?? new TaskCompletionSource<int>().Task;

    public int? ProcessId => _node?.Id;

    public IReadOnlyList<Uri> Urls =>
        _resource.HasManagementPlugin
            ? [new($"amqp://{_resource.Endpoint.Host}:{_resource.Endpoint.Port}"), _resource.ManagementEndpoint.Url]
            : [new($"amqp://{_resource.Endpoint.Host}:{_resource.Endpoint.Port}")];

    // The Mnesia database is bound to the node name: a persistent node keeps the same name.
    private string NodeName => _persistent
        ? $"shopaspire-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_folder)))[..10]}@localhost"
        : $"shopaspire-{Path.GetFileName(_context.Directories.Root)[^12..]}@localhost";

    // A restart (StartResourceAsync) keeps the data of this run; only the first start throws old data away.
    private bool _startedBefore;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var log = _context.LogFor(_resource.Name);
        var mnesia = Path.Combine(_folder, "mnesia");
        if (!_persistent && !_startedBefore && Directory.Exists(mnesia))
        {
            Directory.Delete(mnesia, recursive: true);
        }
        var home = Path.Combine(_folder, "home");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(mnesia);
        Directory.CreateDirectory(Path.Combine(_folder, "log"));

        var config = Path.Combine(_folder, "rabbitmq.conf");
        var lines = new List<string>
        {
            $"listeners.tcp.1 = 127.0.0.1:{_resource.Endpoint.Port}",
            $"default_user = {RabbitMQServerResource.UserName}",
            $"default_pass = {_resource.Password}",
            // The node listens on loopback only, so guest may connect "remotely" from 127.0.0.1 clients.
            "loopback_users = none",
        };
        if (_resource.HasManagementPlugin)
        {
            lines.Add($"management.tcp.port = {_resource.ManagementEndpoint.Port}");
            lines.Add("management.tcp.ip = 127.0.0.1");
        }
        await File.WriteAllLinesAsync(config, lines, cancellationToken);
        var plugins = Path.Combine(_folder, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, _resource.HasManagementPlugin ? "[rabbitmq_management].\n" : "[].\n", cancellationToken);
        var envFile = Path.Combine(_folder, "rabbitmq-env.conf");
        await File.WriteAllTextAsync(envFile, "", cancellationToken);

        // After a kill -9 of the node its epmd lives on, holding the port: keep using it.
        _epmd = _epmd is { HasExited: false } ? _epmd : ManagedProcess.Start(
            new ProcessSpec(ServerPackage.OnPath("epmd") ?? "epmd", ["-port", _epmdPort.ToString(), "-address", "127.0.0.1"]) { WorkingDirectory = _folder },
            _context.LogFor($"{_resource.Name}-epmd"));

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = _resource.Endpoint.Port.ToString(),
            ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(),
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(),
            ["RABBITMQ_MNESIA_BASE"] = mnesia,
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_folder, "log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_folder, "advanced.config"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
            ["RABBITMQ_CONF_ENV_FILE"] = envFile,
            ["RABBITMQ_PID_FILE"] = Path.Combine(_folder, "rabbitmq.pid"),
        };
        _node = ManagedProcess.Start(new ProcessSpec(ServerScript, []) { Environment = environment, WorkingDirectory = _folder }, log);
        _startedBefore = true;
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await client.ConnectAsync("127.0.0.1", _resource.Endpoint.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(ProtocolHeader, timeout.Token);
            var frameType = new byte[1];
            return await stream.ReadAsync(frameType, timeout.Token) == 1 && frameType[0] == 1;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is not null)
        {
            await _node.StopAsync(_context.Options.ShutdownTimeout);
        }
        if (_epmd is not null)
        {
            await _epmd.StopAsync(TimeSpan.FromSeconds(2));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
        if (_epmd is not null)
        {
            await _epmd.DisposeAsync();
        }
    }
}
