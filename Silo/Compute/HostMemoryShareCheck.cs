using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ProbeGrid.Silo.Compute;

/// <summary>
/// At a silo's start, counts the active silos of the cluster on this silo's host address. When
/// there are more than <see cref="ComputeOptions.SilosOnHost"/> and the memory budget is the
/// default, their budgets add up past the machine: it warns, naming the setting that fixes it.
/// </summary>
public sealed class HostMemoryShareCheck(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IOptions<ComputeOptions> options,
    ILogger<HostMemoryShareCheck> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(HostMemoryShareCheck), ServiceLifecycleStage.Active, _ =>
        {
            var host = local.SiloAddress.Endpoint.Address;
            var silos = SilosOn(host, membership.CurrentSnapshot.Members.Values);
            if (Problem(options.Value, silos, host, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) is { } problem)
                logger.LogWarning("{Problem}", problem);
            return Task.CompletedTask;
        });

    /// <summary>Active silos (this one included) whose address is <paramref name="host"/>.</summary>
    public static int SilosOn(IPAddress host, IEnumerable<ClusterMember> members) =>
        members.Count(m => m.Status == SiloStatus.Active && m.SiloAddress.Endpoint.Address.Equals(host));

    /// <summary>What is wrong with the budgets of <paramref name="silosOnHost"/> silos on one machine, or null when they fit.</summary>
    public static string? Problem(ComputeOptions options, int silosOnHost, IPAddress host, long machineBytes)
    {
        if (options.MemoryBudgetBytes > 0 || silosOnHost <= options.SilosOnHost) return null;
        var each = options.ResolveMemoryBudget(machineBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{silosOnHost} ProbeGrid silos run on {host} but {ComputeOptions.Section}:SilosOnHost is {options.SilosOnHost}: each takes a default memory budget of " +
            $"{Gib(each)} GiB, {Gib(each * silosOnHost)} GiB together on a {Gib(machineBytes)} GiB machine; set {ComputeOptions.Section}:SilosOnHost={silosOnHost} on every silo of this host " +
            $"(or {ComputeOptions.Section}:MemoryBudgetBytes)");
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F1", CultureInfo.InvariantCulture);
}
