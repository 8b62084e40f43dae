using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Worker.Email;

/// <summary>
/// Whether the SMTP server accepts connections, as an optional dependency: while it is down,
/// confirmation mails wait for their retries (then dead-letter), payments go on, so the worker
/// reports Degraded (the failure status it is registered with), not unready.
/// </summary>
internal sealed class MailServerHealthCheck(SmtpMailer mailer) : IHealthCheck
{
    public const string Name = "mail-server";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(mailer.Server.Host, mailer.Server.Port, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The mail server refuses connections; confirmation mails wait for their retries.");
        }
    }
}
