using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Worker.Email;

public static class EmailExtensions
{
    private const ushort Concurrency = 4;

    /// <summary>The confirmation mail consumer (orders.paid); needs ConnectionStrings:mail.</summary>
    public static IHostApplicationBuilder AddConfirmationEmails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new SmtpMailer(services.GetRequiredService<IConfiguration>(), Concurrency));
        builder.Services.AddHealthChecks().AddCheck<MailServerHealthCheck>(MailServerHealthCheck.Name,
            failureStatus: HealthStatus.Degraded, tags: [DefaultHealthCheckExtensions.ReadyTag],
            timeout: DefaultHealthCheckExtensions.DependencyCheckTimeout);
        builder.AddConsumer<Orders.OrderPaid, ConfirmationEmailHandler>(new ConsumerSettings(ConfirmationEmailHandler.Consumer, "worker.email", [ShopEvents.OrderPaid])
        {
            Prefetch = 16,
            Concurrency = Concurrency,
            MaxAttempts = 5,
            RetryDelay = TimeSpan.FromSeconds(2),
        });
        return builder;
    }
}
