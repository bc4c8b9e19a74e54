using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProbeGrid.Silo.Compute;

namespace ProbeGrid.Tests.Compute;

/// <summary>Issue 13, item 8: silos on one host share its memory instead of each taking half of it.</summary>
public sealed class HostMemoryShareTests
{
    private const long Machine = 24L << 30;
    private static readonly IPAddress Host = IPAddress.Parse("10.0.0.5");

    [Fact]
    public void The_default_budget_is_half_the_machine_shared_by_the_silos_on_the_host()
    {
        Assert.Equal(12L << 30, new ComputeOptions().ResolveMemoryBudget(Machine));
        Assert.Equal(4L << 30, new ComputeOptions { SilosOnHost = 3 }.ResolveMemoryBudget(Machine));
        // An explicit budget is the operator's word, whatever the count.
        Assert.Equal(5L << 30, new ComputeOptions { SilosOnHost = 3, MemoryBudgetBytes = 5L << 30 }.ResolveMemoryBudget(Machine));
    }

    [Fact]
    public void The_executor_takes_its_share_of_the_machine()
    {
        using var executor = new ComputeExecutor(Options.Create(new ComputeOptions { Device = "cpu", Slots = 1, SilosOnHost = 4 }), NullLogger<ComputeExecutor>.Instance);
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / 4, executor.Budget);
    }

    [Fact]
    public void A_count_below_one_is_refused_naming_the_setting()
    {
        var problem = Assert.Single(new ComputeOptions { SilosOnHost = 0 }.Validate());
        Assert.Contains("ProbeGrid:Compute:SilosOnHost", problem);
    }

    [Fact]
    public void Silos_are_counted_by_host_address_and_only_while_active()
    {
        ClusterMember Member(string ip, int port, SiloStatus status) =>
            new(SiloAddress.New(new IPEndPoint(IPAddress.Parse(ip), port), 1), status, $"silo-{port}");
        var members = new[]
        {
            Member("10.0.0.5", 11111, SiloStatus.Active),
            Member("10.0.0.5", 11112, SiloStatus.Active),
            Member("10.0.0.5", 11113, SiloStatus.Dead),
            Member("10.0.0.6", 11111, SiloStatus.Active),
        };
        Assert.Equal(2, HostMemoryShareCheck.SilosOn(Host, members));
    }

    [Fact]
    public void More_silos_on_the_host_than_configured_with_the_default_budget_is_a_warning_naming_the_fix()
    {
        var problem = HostMemoryShareCheck.Problem(new ComputeOptions(), silosOnHost: 3, Host, Machine);
        Assert.NotNull(problem);
        Assert.Contains("3 ProbeGrid silos run on 10.0.0.5", problem);
        Assert.Contains("12.0 GiB, 36.0 GiB together on a 24.0 GiB machine", problem);
        Assert.Contains("ProbeGrid:Compute:SilosOnHost=3", problem);

        Assert.Null(HostMemoryShareCheck.Problem(new ComputeOptions { SilosOnHost = 3 }, silosOnHost: 3, Host, Machine));
        Assert.Null(HostMemoryShareCheck.Problem(new ComputeOptions { MemoryBudgetBytes = 1L << 30 }, silosOnHost: 3, Host, Machine));
        Assert.Null(HostMemoryShareCheck.Problem(new ComputeOptions(), silosOnHost: 1, Host, Machine));
    }
}
