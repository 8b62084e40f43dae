using System.Net;
using System.Net.Sockets;

namespace Shop.MailSink.Smtp;

/// <summary>
/// Listens for SMTP on loopback (port from MailSink:SmtpPort, which the AppHost sets for the
/// "smtp" endpoint) and runs one <see cref="SmtpSession"/> per connection.
/// </summary>
/// <remarks>
/// Hand-written because no SMTP server library is available on our package feed (MailKit is a
/// client only). It speaks the part of RFC 5321 a client needs to hand over a mail; it never
/// relays anything anywhere.
/// </remarks>
internal sealed partial class SmtpReceiver(MailboxStore mailbox, IConfiguration configuration, ILogger<SmtpReceiver> logger) : BackgroundService
{
    public const int DefaultPort = 2525;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = configuration.GetValue("MailSink:SmtpPort", DefaultPort);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(backlog: 256);
        LogListening(port);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken);
                _ = Task.Run(() => ServeAsync(client, stoppingToken), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        using (client)
        {
            try
            {
                await new SmtpSession(client.GetStream(), mailbox).RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                LogSessionEnded(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepting SMTP on 127.0.0.1:{Port}.")]
    private partial void LogListening(int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMTP session ended: {Reason}")]
    private partial void LogSessionEnded(string reason);
}
