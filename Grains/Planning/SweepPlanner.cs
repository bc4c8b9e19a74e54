using System.Collections.Immutable;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Planning;

/// <summary>
/// Checks a spec against the zoo, the data catalog, the analyses and the data roots, and expands
/// it into a <see cref="SweepPlan"/>. Every problem is collected before failing, and nothing is
/// computed when any is found.
/// </summary>
public sealed class SweepPlanner(DataRoots roots, string baseDirectory)
{
    public static IReadOnlyList<string> AnalysisKinds { get; } = [ProbeAnalysis.Kind];

    /// <exception cref="SpecException">listing every problem found.</exception>
    public SweepPlan Plan(SweepSpec spec, string sweepId)
    {
        var problems = new List<string>();

        var (architecture, parameters, checkpoints) = ResolveModel(spec.Model, problems);

        var datasetProblems = DatasetCatalog.Validate(spec.Dataset.Name, spec.Dataset.Parameters);
        problems.AddRange(datasetProblems);
        if (spec.Dataset.Parameters.TryGetValue(DatasetCatalog.RootParameter, out var dataFolder) && roots.Resolve(dataFolder, baseDirectory) is null)
            problems.Add($"dataset.parameters.root '{dataFolder}' is outside the data roots ({roots.Describe()}): move the data under one, or add a root with --data-root / PROBEGRID_DATA_ROOTS");

        var layers = ImmutableArray<LayerRef>.Empty;
        if (architecture is not null && datasetProblems.Count == 0)
        {
            var sampleShape = DatasetCatalog.SampleShape(spec.Dataset.Name, spec.Dataset.Parameters);
            var modelProblems = ModelZoo.Validate(architecture, parameters, sampleShape);
            problems.AddRange(modelProblems.Select(p => "model: " + p));
            if (modelProblems.Count == 0) layers = ResolveLayers(spec, ModelZoo.TapNames(architecture, parameters), problems);
        }

        Reduction? reduction = null;
        try { reduction = Reduction.Parse(spec.Reduction.Kind, spec.Reduction.MaxDims, spec.Reduction.Seed); }
        catch (ArgumentException e) { problems.Add("reduction: " + e.Message); }
        if (reduction is not null && !layers.IsEmpty)
            layers = WithWidths(layers, architecture!, parameters, spec, reduction);

        for (var i = 0; i < spec.Analyses.Length; i++)
        {
            var analysis = spec.Analyses[i];
            var path = $"analyses[{i}]";
            if (analysis.Kind == ProbeAnalysis.Kind) problems.AddRange(ProbeAnalysis.Validate(analysis, path));
            else problems.Add($"{path}.kind '{analysis.Kind}' is not an analysis ProbeGrid runs: use {string.Join(", ", AnalysisKinds)}");
        }
        if (spec.Analyses.Select(a => a.Kind).Distinct().Count() != spec.Analyses.Length)
            problems.Add("analyses names the same kind twice: give each kind once with its parameters");

        if (problems.Count == 0 && checkpoints.Length * layers.Length * spec.Analyses.Length * spec.Repeats == 0)
            problems.Add("the spec expands to zero units: it needs at least one checkpoint, layer and analysis");
        if (problems.Count > 0) throw new SpecException(problems);

        return new SweepPlan(sweepId, spec, architecture!, parameters, checkpoints, layers);
    }

    private (string? Architecture, ImmutableSortedDictionary<string, string> Parameters, ImmutableArray<CheckpointRef> Checkpoints)
        ResolveModel(ModelSpec model, List<string> problems)
    {
        var architecture = model.Architecture;
        var parameters = model.Parameters;
        if (model.Checkpoints is null)
            return (architecture, parameters, [new CheckpointRef("untrained", 0, null)]);

        var folder = roots.Resolve(model.Checkpoints, baseDirectory);
        if (folder is null)
        {
            problems.Add($"model.checkpoints '{model.Checkpoints}' is outside the data roots ({roots.Describe()}): move it under one, or add a root with --data-root / PROBEGRID_DATA_ROOTS");
            return (architecture, parameters, []);
        }

        ImmutableArray<CheckpointRef> checkpoints = [];
        try
        {
            checkpoints = CheckpointDiscovery.Find(folder)
                .Select((c, i) => new CheckpointRef(Path.GetFileNameWithoutExtension(c.Path), c.Step ?? i, c.Path))
                .ToImmutableArray();
        }
        catch (Exception e) when (e is IOException or CheckpointException or UnauthorizedAccessException)
        {
            problems.Add($"model.checkpoints: {e.Message}");
        }

        var descriptorFolder = Directory.Exists(folder) ? folder : Path.GetDirectoryName(folder)!;
        ModelDescriptor? descriptor = null;
        try { descriptor = ModelDescriptor.TryLoad(descriptorFolder); }
        catch (CheckpointException e) { problems.Add($"model.checkpoints: {e.Message}"); }
        if (descriptor is not null)
        {
            if (architecture is null)
            {
                architecture = descriptor.Architecture;
                if (parameters.IsEmpty) parameters = descriptor.Parameters.ToImmutableSortedDictionary(StringComparer.Ordinal);
            }
            else if (architecture != descriptor.Architecture)
            {
                problems.Add($"model.architecture '{architecture}' differs from '{descriptor.Architecture}' recorded in {Path.Combine(descriptorFolder, ModelDescriptor.FileName)}: leave it out or correct it");
            }
        }
        else if (architecture is null)
        {
            problems.Add($"model.architecture is missing and {descriptorFolder} has no {ModelDescriptor.FileName}: name the architecture in the spec");
        }
        return (architecture, parameters, checkpoints);
    }

    /// <summary>Each layer's feature width after the reduction, from a dry run of the network on one zero sample.</summary>
    private static ImmutableArray<LayerRef> WithWidths(
        ImmutableArray<LayerRef> layers, string architecture, IReadOnlyDictionary<string, string> parameters, SweepSpec spec, Reduction reduction)
    {
        var sampleShape = DatasetCatalog.SampleShape(spec.Dataset.Name, spec.Dataset.Parameters);
        using var model = ModelZoo.Create(architecture, parameters, sampleShape, DatasetCatalog.ClassCount(spec.Dataset.Name), 0);
        var shapes = model.TapShapes(sampleShape);
        return layers.Select(l => l with { Width = reduction.OutputSize(shapes[l.Name]) }).ToImmutableArray();
    }

    private static ImmutableArray<LayerRef> ResolveLayers(SweepSpec spec, IReadOnlyList<string> taps, List<string> problems)
    {
        if (spec.AllLayers) return taps.Select((t, i) => new LayerRef(t, i)).ToImmutableArray();
        var unknown = spec.Layers.Where(l => !taps.Contains(l)).ToList();
        foreach (var layer in unknown)
            problems.Add($"layers: '{layer}' is not a tap of this model; its taps are {string.Join(", ", taps)}");
        // Keep depth order whatever order the spec lists them in.
        return taps.Select((t, i) => new LayerRef(t, i)).Where(l => spec.Layers.Contains(l.Name)).ToImmutableArray();
    }
}
