namespace Shop.MailSink.Smtp;

public static class SmtpReceiverExtensions
{
    public static IHostApplicationBuilder AddSmtpReceiver(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<SmtpReceiver>();
        return builder;
    }
}
