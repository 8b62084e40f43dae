using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Shop.Worker.Email;

/// <summary>
/// Sends mail over real SMTP with MailKit to the server in ConnectionStrings:mail
/// (<c>smtp://host:port</c>, what Aspire's MailPit/MailDev integrations inject). Keeps a few
/// connected clients (MailKit's SmtpClient is one conversation at a time) and reconnects a
/// client that failed.
/// </summary>
/// <remarks>
/// SMTP has no place for a trace context, so each send is a client span ("smtp send") whose W3C
/// context travels in the mail itself, as <c>traceparent</c>/<c>tracestate</c> header fields: the
/// dev mail server (smtp4dev) shows them among the headers, so a mail leads to its trace, and a
/// mail server that knows the convention could continue it.
/// </remarks>
public sealed class SmtpMailer : IAsyncDisposable
{
    public static readonly ActivitySource ActivitySource = new("Shop.Worker.Email");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection idle longer than this is checked with NOOP before it carries a mail: servers
    /// (and the orchestrator's proxy, when the mail server restarts) drop idle connections
    /// without the client noticing, and the first send on one fails after the server's reply.
    /// </summary>
    private static readonly TimeSpan IdleCheckAfter = TimeSpan.FromSeconds(5);
    private readonly Uri _server;
    private readonly Channel<SmtpClient> _idle;
    private readonly ConditionalWeakTable<SmtpClient, StrongBox<long>> _lastUsed = [];

    public SmtpMailer(IConfiguration configuration, int poolSize)
    {
        var connectionString = configuration.GetConnectionString("mail") is { Length: > 0 } configured ? configured
            : throw new InvalidOperationException("Connection string 'ConnectionStrings:mail' (smtp://host:port) is missing: reference the 'mail' resource from the AppHost.");
        _server = new Uri(connectionString.StartsWith("Endpoint=", StringComparison.OrdinalIgnoreCase) ? connectionString["Endpoint=".Length..] : connectionString);
        _idle = Channel.CreateBounded<SmtpClient>(poolSize);
        for (var i = 0; i < poolSize; i++)
        {
            _idle.Writer.TryWrite(new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds });
        }
    }

    /// <summary>The SMTP server (host and port) mail goes to.</summary>
    public Uri Server => _server;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag("network.protocol.name", "smtp");
        activity?.SetTag("server.address", _server.Host);
        activity?.SetTag("server.port", _server.Port);
        activity?.SetTag("shop.mail.message_id", message.MessageId);
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, message.Headers,
                static (carrier, name, value) => ((HeaderList)carrier!)[name] = value);
        }

        var client = await _idle.Reader.ReadAsync(cancellationToken);
        try
        {
            var lastUsed = _lastUsed.GetOrCreateValue(client);
            if (client.IsConnected && Stopwatch.GetElapsedTime(lastUsed.Value) > IdleCheckAfter && !await AnswersAsync(client, cancellationToken))
            {
                client.Dispose();
                client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
                lastUsed = _lastUsed.GetOrCreateValue(client);
            }
            if (!client.IsConnected)
            {
                await client.ConnectAsync(_server.Host, _server.Port, SecureSocketOptions.None, cancellationToken);
            }
            var reply = await client.SendAsync(message, cancellationToken);
            lastUsed.Value = Stopwatch.GetTimestamp();
            activity?.SetTag("shop.smtp.reply", reply);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            // A half-finished conversation cannot be trusted: start the next one on a new connection.
            client.Dispose();
            client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
            throw;
        }
        finally
        {
            _idle.Writer.TryWrite(client);
        }
    }

    private static async Task<bool> AnswersAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.NoOpAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.Reader.TryRead(out var client))
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync(quit: true);
                }
                catch (Exception)
                {
                    // Shutting down anyway.
                }
            }
            client.Dispose();
        }
    }
}
