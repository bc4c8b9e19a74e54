using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Client.Export;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Local;

/// <summary>
/// Runs a planned sweep in this process, checkpoint after checkpoint: one activation pass per
/// checkpoint, then all its probes in one batched pass. Results are appended to results.csv
/// after each checkpoint, so an interrupted run resumes where it stopped.
/// </summary>
public sealed class LocalSweepRunner(ActivationJob activations, ILogger logger)
{
    public const string ResultsFile = "results.csv";

    public IReadOnlyList<MetricValue> Run(SweepPlan plan, string outputFolder, CancellationToken ct)
    {
        Directory.CreateDirectory(outputFolder);
        var resultsPath = Path.Combine(outputFolder, ResultsFile);
        var results = File.Exists(resultsPath) ? MetricCsv.Read(resultsPath).ToList() : [];
        var done = results.Where(v => v.Metric == MetricNames.ProbeTestError)
            .Select(v => (v.Checkpoint, v.Layer, v.Repeat)).ToHashSet();
        if (done.Count > 0) logger.LogInformation("Resuming sweep {SweepId}: {Done} of {Total} units already done", plan.SweepId, done.Count, plan.UnitCount);

        var probe = plan.Spec.Analyses.Single(a => a.Kind == ProbeAnalysis.Kind);
        var options = ProbeAnalysis.Options(probe);
        var warmStart = ProbeAnalysis.WarmStart(probe);

        for (var repeat = 0; repeat < plan.Spec.Repeats; repeat++)
        {
            IReadOnlyDictionary<string, ProbeWeights>? previous = null;
            foreach (var checkpoint in plan.Checkpoints)
            {
                ct.ThrowIfCancellationRequested();
                var todo = plan.Layers.Where(l => !done.Contains((checkpoint.Name, l.Name, repeat))).ToList();
                if (todo.Count == 0)
                {
                    previous = null; // weights of finished checkpoints are not kept: the next one starts cold
                    continue;
                }

                var started = DateTime.UtcNow;
                var work = new CheckpointWork(plan.SweepId, plan.Spec, plan.Architecture, plan.ModelParameters, checkpoint, todo.ToImmutableArray(), repeat, null);
                var acts = activations.Run(work, TorchSharp.torch.CPU, ct);
                var probes = ProbeJob.Run(acts, todo, options, warmStart ? previous : null, TorchSharp.torch.CPU, ct);
                foreach (var (layer, result) in todo.Zip(probes))
                    results.AddRange(ProbeAnalysis.Metrics(result, checkpoint, layer, repeat));
                MetricCsv.Write(resultsPath, results);
                foreach (var layer in todo) done.Add((checkpoint.Name, layer.Name, repeat));
                previous = probes.ToDictionary(p => p.Tap, p => p.Weights);

                logger.LogInformation(
                    "Checkpoint {Checkpoint} (step {Step}, repeat {Repeat}): {Layers} probes in {Seconds:F1}s; test error {FirstLayer}={First:F3} .. {LastLayer}={Last:F3} ({Done}/{Total} units)",
                    checkpoint.Name, checkpoint.Step, repeat, todo.Count, (DateTime.UtcNow - started).TotalSeconds,
                    todo[0].Name, probes[0].TestError, todo[^1].Name, probes[^1].TestError, done.Count, plan.UnitCount);
            }
        }
        return results;
    }
}
