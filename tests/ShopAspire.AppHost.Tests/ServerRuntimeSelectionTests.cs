using Aspire.Hosting;
using ShopAspire.NativeServers;

namespace ShopAspire.AppHost.Tests;

public sealed class ServerRuntimeSelectionTests
{
    [Theory]
    [InlineData("containers", ServerRuntime.Containers)]
    [InlineData("container", ServerRuntime.Containers)]
    [InlineData(" Containers ", ServerRuntime.Containers)]
    [InlineData("native", ServerRuntime.NativeProcesses)]
    [InlineData("NATIVE", ServerRuntime.NativeProcesses)]
    public void A_forced_runtime_wins_when_running_without_asking_the_container_runtime(string forced, ServerRuntime expected)
    {
        var probe = new Probe(answers: expected != ServerRuntime.Containers);
        Assert.Equal(expected, ServerRuntimeSelection.Decide(forced, publishing: false, probe.Answers));
        Assert.Equal(0, probe.Calls);
    }

    [Theory]
    [InlineData(null, true, ServerRuntime.Containers)]
    [InlineData(null, false, ServerRuntime.NativeProcesses)]
    [InlineData("", true, ServerRuntime.Containers)]
    [InlineData("auto", false, ServerRuntime.NativeProcesses)]
    [InlineData("Auto", true, ServerRuntime.Containers)]
    public void Auto_runs_containers_only_when_the_container_runtime_answers(string? forced, bool runtimeAnswers, ServerRuntime expected)
    {
        var probe = new Probe(runtimeAnswers);
        Assert.Equal(expected, ServerRuntimeSelection.Decide(forced, publishing: false, probe.Answers));
        Assert.Equal(1, probe.Calls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    [InlineData("native")]
    [InlineData("containers")]
    public void Publishing_always_uses_containers_without_asking_the_container_runtime(string? forced)
    {
        var probe = new Probe(answers: false);
        Assert.Equal(ServerRuntime.Containers, ServerRuntimeSelection.Decide(forced, publishing: true, probe.Answers));
        Assert.Equal(0, probe.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_unknown_value_throws_naming_the_setting_the_value_and_the_choices(bool publishing)
    {
        var failure = Assert.Throws<DistributedApplicationException>(() => ServerRuntimeSelection.Decide("docker", publishing, () => true));
        Assert.Equal("'ShopAspire:Servers' is 'docker'; use 'containers', 'native' or 'auto'.", failure.Message);
    }

    private sealed class Probe(bool answers)
    {
        public int Calls { get; private set; }

        public bool Answers()
        {
            Calls++;
            return answers;
        }
    }
}
