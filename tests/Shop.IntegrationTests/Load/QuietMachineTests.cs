namespace Shop.IntegrationTests.Load;

/// <summary>The load gate's "is the machine quiet" reading of /proc/stat.</summary>
public class QuietMachineTests
{
    [Fact]
    public void Busy_share_is_user_system_and_interrupt_time_over_busy_and_idle_time()
    {
        //                 user nice system idle iowait irq softirq steal
        const string before = "cpu  1000 0 500 8000 100 0 0 0 0 0";
        const string after = "cpu  1600 0 700 8150 150 20 30 0 0 0";

        // busy +850 (600 user, 200 system, 20 irq, 30 softirq), idle +200 (150 idle, 50 iowait)
        Assert.Equal(850.0 / 1050.0, QuietMachine.BusyShare(before, after)!.Value, precision: 6);
    }

    [Fact]
    public void Time_stolen_by_the_hypervisor_does_not_make_a_machine_look_busy()
    {
        const string before = "cpu  1000 0 500 8000 0 0 0 0 0 0";
        const string idleButStolen = "cpu  1010 0 500 8090 0 0 0 900 0 0";

        Assert.Equal(10.0 / 100.0, QuietMachine.BusyShare(before, idleButStolen)!.Value, precision: 6);
    }

    [Fact]
    public void No_time_passing_is_no_reading()
    {
        const string line = "cpu  1000 0 500 8000 0 0 0 0 0 0";

        Assert.Null(QuietMachine.BusyShare(line, line));
    }
}
