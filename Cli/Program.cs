using System.CommandLine;
using ProbeGrid.Cli.Commands;

var root = new RootCommand("probegrid: layer-wise analyses (linear probes, Wasserstein layer analysis, feature complexity, information discarding) over every checkpoint of a training run");
GlobalOptions.AddTo(root);
root.Subcommands.Add(TrainCommand.Build());
root.Subcommands.Add(RunCommand.Build());
root.Subcommands.Add(SubmitCommand.Build());
root.Subcommands.Add(WatchCommand.Build());
root.Subcommands.Add(StatusCommand.Build());
root.Subcommands.Add(CurvesCommand.Build());
root.Subcommands.Add(AnimateCommand.Build());
root.Subcommands.Add(SpectrumCommand.Build());
root.Subcommands.Add(MapsCommand.Build());
root.Subcommands.Add(RegressCommand.Build());
root.Subcommands.Add(FailuresCommand.Build());
root.Subcommands.Add(CancelCommand.Build());
root.Subcommands.Add(StopCommand.Build());
root.Subcommands.Add(ClusterCommand.Build());
root.Subcommands.Add(ActivationsCommand.Build());
root.Subcommands.Add(LayersCommand.Build());
root.Subcommands.Add(RescaleCommand.Build());
root.Subcommands.Add(DataCommand.Build());
root.Subcommands.Add(ServeCommand.Build());
// Ctrl-C and SIGTERM cancel the command's token; a command then stops its grid (the executor cancels its jobs and
// waits for them) and exits 130. The default 2 s would end the process while libtorch still runs on executor threads.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
