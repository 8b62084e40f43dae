using ShopAspire.NativeServers.Packages;

namespace ShopAspire.AppHost.Tests;

public sealed class ServerPackageInstallerTests
{
    [Fact]
    public void Missing_lists_the_packages_whose_binary_is_not_found_once_each_in_order()
    {
        ServerPackage[] required =
        [
            new("redis-server", () => null),
            new("postgresql", () => "/usr/lib/postgresql/15/bin"),
            new("rabbitmq-server", () => null),
            new("redis-server", () => null),
        ];
        Assert.Equal(["rabbitmq-server", "redis-server"], ServerPackageInstaller.Missing(required));
    }

    [Fact]
    public void Missing_is_empty_when_every_binary_is_found()
    {
        Assert.Empty(ServerPackageInstaller.Missing([new ServerPackage("postgresql", () => "/usr/lib/postgresql/15/bin")]));
    }

    [Fact]
    public void Install_command_installs_exactly_the_missing_packages_without_prompts_or_recommends()
    {
        Assert.Equal("apt-get install -y --no-install-recommends rabbitmq-server redis-server",
            ServerPackageInstaller.InstallCommand(["rabbitmq-server", "redis-server"]));
    }

    [Fact]
    public void The_known_packages_are_debians()
    {
        Assert.Equal("postgresql", ServerPackage.Postgres.Package);
        Assert.Equal("redis-server", ServerPackage.Redis.Package);
        Assert.Equal("rabbitmq-server", ServerPackage.RabbitMQ.Package);
    }
}
