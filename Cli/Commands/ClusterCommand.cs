using System.CommandLine;
using System.Globalization;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Client.Export;
using ProbeGrid.Grains.Placement;

namespace ProbeGrid.Cli.Commands;

/// <summary><c>probegrid cluster status [--json]</c>: each silo with its compute, slots in use, units running and done, and throughput.</summary>
public static class ClusterCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "print JSON instead of a table" };

    public static Command Build()
    {
        var status = new Command("status", "Show each silo's compute, slots in use, units running and done, and throughput");
        status.Options.Add(Json);
        status.SetAction((result, ct) => GridCommand.RunAsync(result, "cluster", ct, async (session, _) =>
        {
            var silos = await session.Client.GetClusterStatusAsync();
            if (result.GetValue(Json))
            {
                Console.Out.WriteLine(JsonExport.Serialize(silos));
                return ExitCodes.Success;
            }
            var now = DateTime.UtcNow;
            Console.Out.WriteLine($"{"silo",-28} {"gpus",4} {"cores",5} {"slots",7} {"queued",6} {"running",7} {"done",7} {"units/min",9} {"memory GiB",13}");
            foreach (var s in silos)
            {
                string Capability(string key) => s.Capabilities.GetValueOrDefault(key, "?");
                var memory = string.Create(CultureInfo.InvariantCulture, $"{s.MemoryReservedBytes / (double)(1L << 30):F1}/{s.MemoryBudgetBytes / (double)(1L << 30):F1}");
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Silo,-28} {Capability(SiloCapabilities.GpuCount),4} {Capability(SiloCapabilities.CpuCores),5} {s.SlotsBusy + "/" + s.Slots,7} {s.JobsQueued,6} {s.UnitsRunning,7} {s.UnitsDone,7} {s.UnitsPerMinute(now),9:F1} {memory,13}"));
            }
            return ExitCodes.Success;
        }));
        var command = new Command("cluster", "Inspect the grid's silos");
        command.Subcommands.Add(status);
        return command;
    }
}
