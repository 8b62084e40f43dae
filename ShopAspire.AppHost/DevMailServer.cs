using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShopAspire.NativeServers;

namespace ShopAspire.AppHost;

/// <summary>
/// smtp4dev, the development mail server: it accepts every mail over SMTP, delivers none, and
/// shows them (MIME parts, HTML, headers) in its web inbox and REST API (/api/messages), which
/// the tests read. Run from the repository's local tool manifest (.config/dotnet-tools.json,
/// restored by the AppHost's build); a manifest gets the same server as its container image.
/// </summary>
internal static class DevMailServer
{
    public const string SmtpEndpointName = "smtp";
    public const string HttpEndpointName = "http";

    /// <summary>The tool's version in .config/dotnet-tools.json; the container image has the same tag.</summary>
    public const string Version = "3.15.0";

    /// <summary>
    /// smtp4dev keeps only the newest 100 mails by default: fewer than the failure tests send to
    /// one stack (about 3,000), so a count per order would see mails vanish.
    /// </summary>
    private const int MessagesToKeep = 10_000;

    /// <summary>Where mail is checked for readiness: a tiny JSON answer from its API.</summary>
    private const string HealthPath = "/api/version";

    public static IResourceBuilder<IResourceWithEndpoints> AddDevMailServer(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode ? AddContainer(builder, name) : AddTool(builder, name);

    /// <summary>
    /// `dotnet tool run smtp4dev` under DCP, on ports Aspire allocates (two stacks on one machine
    /// never collide), listening on loopback only, its database in the resource's data folder so
    /// mail outlives a restart of the resource or the AppHost (a test stack's folder is throwaway).
    /// </summary>
    private static IResourceBuilder<IResourceWithEndpoints> AddTool(IDistributedApplicationBuilder builder, string name)
    {
        var folders = NativeServerFolders.For(builder);
        var data = new NativeDataAnnotation(folders.ForResource(name));
        // The working directory is inside the repository, so `dotnet tool run` finds its manifest.
        // Ports of its own rather than DCP's proxy (one instance, nothing to balance): the proxy
        // copied every SMTP exchange and inbox read once more, and held connections to a stopped server.
        var httpPort = LoopbackPorts.Free();
        var smtpPort = LoopbackPorts.Free();
        var mail = builder.AddExecutable(name, "dotnet", builder.AppHostDirectory, "tool", "run", "smtp4dev", "--")
            .WithHttpEndpoint(port: httpPort, targetPort: httpPort, name: HttpEndpointName, isProxied: false)
            .WithEndpoint(port: smtpPort, targetPort: smtpPort, name: SmtpEndpointName, scheme: "smtp", isProxied: false);
        var http = mail.GetEndpoint(HttpEndpointName);
        var smtp = mail.GetEndpoint(SmtpEndpointName);
        var database = Path.Combine(data.DataPath, "smtp4dev.db");
        builder.Eventing.Subscribe<ResourceReadyEvent>(mail.Resource, async (@event, cancellationToken) =>
        {
            var log = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(@event.Resource);
            try
            {
                await DevMailServerIndex.EnsureAsync(database, cancellationToken);
            }
            catch (SqliteException ex)
            {
                // Slower trimming of a big inbox, nothing worse: say so and go on.
                log.LogWarning("Could not index the inbox ({Database}): {Reason}", database, ex.Message);
            }
        });
        return mail
            .WithArgs(context =>
            {
                context.Args.Add(ReferenceExpression.Create($"--urls=http://localhost:{http.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add(ReferenceExpression.Create($"--smtpport={smtp.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add("--allowremoteconnections-");
                // IMAP and POP3 off: their default ports (143, 110) are fixed ones two stacks would share.
                context.Args.Add("--imapport=");
                context.Args.Add("--pop3port=");
                // smtp4dev creates the folder when it is missing (first run, or after ShopAspire:ResetData).
                // A file even for a test stack, so mail outlives a restart of the resource there too
                // (the tests put a stack's folder in RAM, where SQLite's fsync per mail costs nothing).
                context.Args.Add($"--db={database}");
                // Anything else it writes stays in that folder too, not in ~/.config; the arguments
                // here are its whole configuration (its web UI shows the settings locked).
                context.Args.Add($"--baseappdatapath={data.DataPath}");
                context.Args.Add("--nousersettings");
                context.Args.Add(string.Create(CultureInfo.InvariantCulture, $"--messagestokeep={MessagesToKeep}"));
            })
            // Kept like a server's WithDataVolume: across runs, until ShopAspire:ResetData.
            .WithAnnotation(data)
            .WithAnnotation(new KeepDataAnnotation())
            .WithIconName("Mail")
            .WithHttpHealthCheck(HealthPath, endpointName: HttpEndpointName);
    }

    /// <summary>
    /// For azd: the project's image of the same version, its web UI on 80 and SMTP on 25 inside
    /// the environment (not external), its database on a volume.
    /// </summary>
    private static IResourceBuilder<IResourceWithEndpoints> AddContainer(IDistributedApplicationBuilder builder, string name)
    {
        var mail = builder.AddContainer(name, "rnwood/smtp4dev", Version)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: 80, name: HttpEndpointName)
            .WithEndpoint(targetPort: 25, name: SmtpEndpointName, scheme: "smtp")
            .WithArgs("--imapport=", "--pop3port=", "--db=/smtp4dev/smtp4dev.db",
                string.Create(CultureInfo.InvariantCulture, $"--messagestokeep={MessagesToKeep}"));
        return mail
            .WithVolume(VolumeNameGenerator.Generate(mail, "data"), "/smtp4dev")
            .WithHttpHealthCheck(HealthPath, endpointName: HttpEndpointName);
    }
}
