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
public sealed class SmtpMailer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly Uri _server;
    private readonly Channel<SmtpClient> _idle;

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

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var client = await _idle.Reader.ReadAsync(cancellationToken);
        try
        {
            if (!client.IsConnected)
            {
                await client.ConnectAsync(_server.Host, _server.Port, SecureSocketOptions.None, cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
        }
        catch (Exception)
        {
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
