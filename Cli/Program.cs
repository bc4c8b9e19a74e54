using System.CommandLine;
using ProbeGrid.Cli.Commands;

var root = new RootCommand("probegrid: layer-wise analyses (linear probes, ...) over every checkpoint of a training run");
GlobalOptions.AddTo(root);
root.Subcommands.Add(TrainCommand.Build());
root.Subcommands.Add(RunCommand.Build());
root.Subcommands.Add(SubmitCommand.Build());
root.Subcommands.Add(WatchCommand.Build());
root.Subcommands.Add(StatusCommand.Build());
root.Subcommands.Add(CurvesCommand.Build());
root.Subcommands.Add(SpectrumCommand.Build());
root.Subcommands.Add(MapsCommand.Build());
root.Subcommands.Add(RegressCommand.Build());
root.Subcommands.Add(FailuresCommand.Build());
root.Subcommands.Add(CancelCommand.Build());
root.Subcommands.Add(ClusterCommand.Build());
root.Subcommands.Add(ActivationsCommand.Build());
return await root.Parse(args).InvokeAsync();
