using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ShopAspire.NativeServers.Postgres;

/// <summary>
/// Gives each database its server's state (Starting, Running, Exited...). Aspire does this itself
/// only for a container's children, so without it a database on a native server would stay
/// stateless forever and every WaitFor(database) would wait forever.
/// </summary>
internal static class DatabaseStateMirror
{
    public static void Start(IServiceProvider services, NativePostgresServerResource server, IEnumerable<NativePostgresDatabaseResource> databases)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var children = databases.ToArray();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in notifications.WatchAsync(stopping).ConfigureAwait(false))
                {
                    if (!ReferenceEquals(update.Resource, server))
                    {
                        continue;
                    }
                    foreach (var database in children)
                    {
                        await notifications.PublishUpdateAsync(database, s => s with
                        {
                            State = update.Snapshot.State,
                            StartTimeStamp = update.Snapshot.StartTimeStamp,
                            StopTimeStamp = update.Snapshot.StopTimeStamp,
                        }).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }, stopping);
    }
}
