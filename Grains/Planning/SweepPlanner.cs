using System.Collections.Immutable;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Models;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Planning;

/// <summary>
/// Checks a spec against the zoo, the data catalog, the analyses and the data roots, and expands
/// it into a <see cref="SweepPlan"/>. Every problem is collected before failing, and nothing is
/// computed when any is found.
/// </summary>
/// <param name="analyses">the analyses the grid runs (default: the built-in ones).</param>
public sealed class SweepPlanner(DataRoots roots, string baseDirectory, AnalysisRegistry? analyses = null, ModelCatalog? models = null)
{
    private readonly AnalysisRegistry analysisRegistry = analyses ?? AnalysisRegistry.BuiltIn;
    private readonly ModelCatalog models = models ?? ModelCatalog.BuiltIn;

    /// <summary>The same planner judging paths by <paramref name="narrower"/>: a client's own data roots (ProbeGrid:Silo:Clients).</summary>
    public SweepPlanner WithRoots(DataRoots narrower) => new(narrower, baseDirectory, analysisRegistry, this.models);

    /// <exception cref="SpecException">listing every problem found.</exception>
    /// <returns>
    /// The plan. Its spec is <paramref name="spec"/> with the dataset's <c>root</c>, if any, made the
    /// absolute path that was checked against the data roots, so the silo that loads the data opens
    /// the folder that was checked, whatever its working folder.
    /// </returns>
    public SweepPlan Plan(SweepSpec spec, string sweepId)
    {
        var problems = new List<string>();

        var model = WithFilesUnderDataRoots(ResolveModel(spec.Model, problems, spec.Follow), problems);
        var (architecture, parameters) = (model.Architecture, model.Parameters);
        var modelResolved = problems.Count == 0 && architecture is not null; // the network is known: checkpoints can be held against it

        var datasetProblems = models.Datasets.Validate(spec.Dataset.Name, spec.Dataset.Parameters).ToList();
        problems.AddRange(datasetProblems);
        var beforeRoot = problems.Count;
        var dataset = ResolveDataRoot(spec.Dataset, problems);
        if (!ReferenceEquals(dataset, spec.Dataset)) spec = spec with { Dataset = dataset };
        // Counting classes may list the root's folders (image-folder): never outside the data roots, so with a root
        // outside them the class count is not asked for, and once the layers are checked the data set counts as invalid.
        var rootProblems = problems.Skip(beforeRoot).ToList();
        if (datasetProblems.Count == 0 && rootProblems.Count == 0 && ClassCountProblem(spec.Dataset) is { } classProblem)
        {
            problems.Add(classProblem);
            datasetProblems.Add(classProblem);
        }

        var layers = ImmutableArray<LayerRef>.Empty;
        if (datasetProblems.Count == 0)
        {
            var sampleShape = models.SampleShape(spec.Dataset);
            if (model.Descriptor is not null)
            {
                var misfits = DatasetFitsCheckpoints(spec.Dataset, sampleShape, model.Descriptor, model.DescriptorPath!).ToList();
                problems.AddRange(misfits);
                modelResolved &= misfits.Count == 0;
            }
            if (architecture is not null)
            {
                var modelProblems = models.Architectures.Validate(architecture, parameters, sampleShape, models.TargetShape(spec.Dataset),
                    rootProblems.Count == 0 ? ClassCountOf(spec.Dataset) : null);
                problems.AddRange(modelProblems.Select(p => "model: " + p));
                if (modelProblems.Count == 0)
                    layers = ResolveLayers(spec, models.Architectures.TapNames(architecture, parameters), models.Architectures.DefaultTaps(architecture, parameters), problems);
                modelResolved &= modelProblems.Count == 0;
            }
        }
        else if (architecture is not null) // no sample shape to check against, but the architecture and its parameters can be
            problems.AddRange(models.Architectures.ParameterProblems(architecture, parameters).Select(p => "model: " + p));
        datasetProblems.AddRange(rootProblems);

        problems.AddRange(CheckpointProblems(model.Checkpoints, modelResolved && datasetProblems.Count == 0 ? (architecture!, parameters, spec.Dataset) : null));

        Reduction? reduction = null;
        try { reduction = Reduction.Parse(spec.Reduction.Kind, spec.Reduction.MaxDims, spec.Reduction.Seed); }
        catch (ArgumentException e) { problems.Add("reduction: " + e.Message); }
        if (reduction is not null && !layers.IsEmpty && datasetProblems.Count == 0)
            layers = WithWidths(layers, architecture!, parameters, spec, reduction);

        // Each analysis reads and checks its own parameters, and against the network and data as far as they are known.
        var context = new AnalysisPlanContext(spec, datasetProblems.Count == 0, architecture, parameters, layers, model.Checkpoints, models, UnderDataRoots);
        var settings = ReadSettings(spec, context, problems);
        if (spec.Analyses.Select(a => a.Kind).Distinct().Count() != spec.Analyses.Length)
            problems.Add("analyses names the same kind twice: give each kind once with its parameters");
        if (spec.Follow is not null) problems.AddRange(FollowProblems(spec, settings));

        // A following sweep may start before the run's first checkpoint lands.
        var checkpointCount = spec.Follow is not null ? Math.Max(1, model.Checkpoints.Length) : model.Checkpoints.Length;
        if (problems.Count == 0 && checkpointCount * layers.Length * spec.Analyses.Length * spec.Repeats == 0)
            problems.Add("the spec expands to zero units: it needs at least one checkpoint, layer and analysis");
        if (problems.Count > 0) throw new SpecException(problems);
        if (settings.Length != spec.Analyses.Length) throw new InvalidOperationException("an analysis gave neither settings nor a problem");

        return new SweepPlan(sweepId, spec, architecture!, parameters, model.Checkpoints, layers) { Settings = settings, ByCheckpoint = spec.Follow is not null };
    }

    /// <summary>What keeps a spec from following a training run: where its checkpoints come from, and analyses that cannot follow one.</summary>
    private IEnumerable<string> FollowProblems(SweepSpec spec, ImmutableArray<AnalysisSettings> settings)
    {
        if (spec.Model.Checkpoints is null)
            yield return "follow: a following sweep watches the folder a training run writes its checkpoints into, and model.checkpoints is missing: " +
                         "name that folder (the --out of `probegrid train`), or leave follow out to analyse the untrained network";
        else if (roots.Resolve(spec.Model.Checkpoints, baseDirectory) is { } resolved && File.Exists(resolved))
            yield return $"follow: model.checkpoints '{spec.Model.Checkpoints}' is one checkpoint file, and a following sweep watches a folder for new ones: " +
                         "name the folder the run writes into (or a folder plus a file pattern, e.g. /runs/a/step-*.pt), or leave follow out";
        for (var i = 0; i < spec.Analyses.Length; i++)
            if (analysisRegistry.TryGet(spec.Analyses[i].Kind, out var kind) && kind.NeedsEveryCheckpoint is { } reason)
                yield return $"analyses[{i}].kind '{kind.Kind}' cannot follow a training run: {reason}, which is not known until the run ends: " +
                             "leave follow out and submit the sweep once training has finished, or run this analysis in a sweep of its own after it";
        if (spec.Follow!.Thinning.Kind == ThinningSpec.NewestFirstKind && !settings.IsDefault)
            foreach (var s in settings.Where(s => analysisRegistry.TryGet(s.Kind, out var kind) && kind.FollowsPreviousCheckpoint(s)))
                yield return $"follow.thinning 'newest-first' analyses checkpoints out of training order, but analysis '{s.Kind}' starts each checkpoint from the one before it (warm start): " +
                             "use thinning \"every\", or {\"kind\": \"steps\"} / {\"kind\": \"minutes\"} with an interval (they keep training order), or turn the warm start off";
    }

    /// <summary>The absolute path of <paramref name="path"/> when it lies under a data root (links judged by where they lead), else null.</summary>
    public string? UnderDataRoots(string path) => roots.Resolve(path, baseDirectory);

    /// <summary>
    /// The network a spec analyses, resolved as <see cref="Plan"/> resolves it (the architecture from the spec or the
    /// checkpoints' model.json), and its data set with the root checked against the data roots; the spec's layers and
    /// analyses are not looked at, so a spec whose layers are wrong still answers (what `probegrid layers` needs).
    /// </summary>
    /// <exception cref="SpecException">the model or the data set has problems, all listed.</exception>
    public (string Architecture, IReadOnlyDictionary<string, string> Parameters, DatasetSpec Dataset) Network(SweepSpec spec)
    {
        var problems = new List<string>();
        var model = WithFilesUnderDataRoots(ResolveModel(spec.Model, problems, spec.Follow), problems);
        problems.AddRange(models.Datasets.Validate(spec.Dataset.Name, spec.Dataset.Parameters));
        var dataset = ResolveDataRoot(spec.Dataset, problems);
        if (problems.Count == 0 && model.Architecture is not null)
            problems.AddRange(models.Architectures.Validate(model.Architecture, model.Parameters, models.SampleShape(dataset), models.TargetShape(dataset), ClassCountOf(dataset))
                .Select(p => "model: " + p));
        if (problems.Count > 0 || model.Architecture is null) throw new SpecException(problems);
        return (model.Architecture, model.Parameters, dataset);
    }

    /// <summary>The data set's class count for the network's checks; null for regression data, which has no classes.</summary>
    private int? ClassCountOf(DatasetSpec dataset) => models.TargetShape(dataset) is null ? models.ClassCount(dataset) : null;

    /// <summary>The settings of a plan stored before plans kept them, read again from its spec (whose paths were resolved then).</summary>
    /// <exception cref="SpecException">the spec's analyses are no longer valid here (an analysis this silo does not run).</exception>
    public ImmutableArray<AnalysisSettings> SettingsOf(SweepPlan plan)
    {
        var problems = new List<string>();
        var context = new AnalysisPlanContext(plan.Spec, datasetValid: true, plan.Architecture, plan.ModelParameters, plan.Layers, plan.Checkpoints, models, UnderDataRoots);
        var stored = plan.Spec with
        {
            Analyses = [.. plan.Spec.Analyses.Select(a => analysisRegistry.TryGet(a.Kind, out var kind) ? kind.AsStoredBeforeSettings(a) : a)],
        };
        var settings = ReadSettings(stored, context, problems);
        if (problems.Count > 0) throw new SpecException(problems);
        return settings;
    }

    /// <summary>Each analysis's settings in the spec's order; with any problem, those found are added and the settings are incomplete.</summary>
    private ImmutableArray<AnalysisSettings> ReadSettings(SweepSpec spec, AnalysisPlanContext context, List<string> problems)
    {
        var regression = context.DatasetValid && models.TargetKind(spec.Dataset) == TargetKind.Regression;
        var settings = ImmutableArray.CreateBuilder<AnalysisSettings>(spec.Analyses.Length);
        for (var i = 0; i < spec.Analyses.Length; i++)
        {
            var analysis = spec.Analyses[i];
            var path = $"analyses[{i}]";
            if (!analysisRegistry.TryGet(analysis.Kind, out var kind))
                problems.Add($"{path}.kind '{analysis.Kind}' is not an analysis ProbeGrid runs: use {string.Join(", ", analysisRegistry.Kinds)}");
            else if (regression && kind.NeedsClasses)
                problems.Add($"{path}.kind '{analysis.Kind}' needs a data set with classes (it trains classifiers on each layer's features), " +
                             $"but dataset '{spec.Dataset.Name}' has regression targets: remove this analysis, or name a data set with classes or label sets " +
                             $"({string.Join(", ", models.Datasets.Names.Where(n => models.Datasets.Get(n).TargetKind != TargetKind.Regression))})");
            else
            {
                if (kind.RunsFromTaps is { } reason) problems.AddRange(StartingTapProblems(context, path, analysis.Kind, reason));
                if (kind.ReadSettings(analysis, context, path, problems) is { } read) settings.Add(read);
            }
        }
        return settings.ToImmutable();
    }

    /// <summary>The layers an analysis that runs the network from a tap upward cannot start at, one problem each.</summary>
    private static IEnumerable<string> StartingTapProblems(AnalysisPlanContext context, string path, string kind, string reason)
    {
        if (context.Layers.IsEmpty) yield break;
        var starts = context.ForwardFromTaps;
        foreach (var layer in context.Layers.Where(l => !starts.Contains(l.Name)))
            yield return $"{path}: {kind} cannot analyse layer '{layer.Name}': {reason}, and this network cannot be run from '{layer.Name}' upward " +
                         $"(a skip connection passes it by, or the network runs inside a TorchScript module); list layers it can start at: {string.Join(", ", starts)}";
    }

    /// <summary>
    /// The dataset with its parameters that name folders or files (<see cref="IDataset.PathParameters"/>: <c>root</c>,
    /// an image folder's split folders) replaced by the absolute paths checked against the data roots; a path outside
    /// them is a problem. Unchanged when there is nothing to rewrite (or the data set is unknown: reported elsewhere).
    /// </summary>
    private DatasetSpec ResolveDataRoot(DatasetSpec dataset, List<string> problems)
    {
        if (!models.Datasets.TryGet(dataset.Name, out var kind)) return dataset;
        var parameters = dataset.Parameters;
        foreach (var name in kind.PathParameters)
        {
            if (!parameters.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value))
                continue; // an empty path is the data set's problem to report
            var resolved = UnderDataRoots(value, $"dataset.parameters.{name}", "the data", problems);
            if (resolved is not null && resolved != value) parameters = parameters.SetItem(name, resolved);
        }
        return parameters == dataset.Parameters ? dataset : dataset with { Parameters = parameters };
    }

    /// <summary>Why the data set's classes cannot be counted (an image folder's root that is missing or has no class folders), or null.</summary>
    private string? ClassCountProblem(DatasetSpec dataset)
    {
        try
        {
            models.ClassCount(dataset);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"dataset '{dataset.Name}': its classes cannot be counted: {e.Message}";
        }
    }

    /// <summary>The absolute path of <paramref name="path"/> under a data root; null, with a problem naming the field and the fix, when it is outside them.</summary>
    private string? UnderDataRoots(string path, string field, string what, List<string> problems)
    {
        var resolved = roots.Resolve(path, baseDirectory);
        if (resolved is null)
            problems.Add($"{field} '{path}' is outside the data roots ({roots.Describe()}): move {what} under one, or add a root with --data-root / PROBEGRID_DATA_ROOTS");
        return resolved;
    }

    /// <summary>
    /// Each checkpoint that cannot be read, or (when the network is known) does not fit it, from the files'
    /// headers alone (no weights are read): a bad checkpoint is refused with the spec, before any work,
    /// rather than failing every unit of its checkpoint.
    /// </summary>
    private List<string> CheckpointProblems(
        ImmutableArray<CheckpointRef> checkpoints, (string Architecture, IReadOnlyDictionary<string, string> Parameters, DatasetSpec Dataset)? network)
    {
        var problems = new List<string>();
        var files = checkpoints.Where(c => c.Path is not null).Select(c => c.Path!).ToList();
        if (files.Count == 0) return problems;
        using var model = network is { } n
            ? models.Create(n.Architecture, n.Parameters, n.Dataset, seed: 0)
            : null;
        foreach (var file in files)
        {
            try
            {
                if (model is null) CheckpointFile.CheckReadable(file);
                else CheckpointFile.Check(model, file);
            }
            catch (CheckpointException e) { problems.Add($"model.checkpoints: {e.Message}"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"model.checkpoints: {file} cannot be read ({e.GetType().Name}): make it readable by the grid, or leave it out of the folder");
            }
        }
        return problems;
    }

    /// <summary>The network the spec and the checkpoint folder describe, the checkpoints, and the folder's model.json (when it has one).</summary>
    private sealed record ResolvedModel(
        string? Architecture,
        ImmutableSortedDictionary<string, string> Parameters,
        ImmutableArray<CheckpointRef> Checkpoints,
        ModelDescriptor? Descriptor,
        string? DescriptorPath);

    /// <param name="follow">a following sweep's settings: its folder may hold no checkpoint yet, and its checkpoints come from its looks, not the plan.</param>
    private ResolvedModel ResolveModel(ModelSpec model, List<string> problems, FollowSpec? follow)
    {
        var architecture = model.Architecture;
        var parameters = model.Parameters;
        if (model.Checkpoints is null)
            return new(architecture, parameters, [new CheckpointRef("untrained", 0, null)], null, null);

        var folder = UnderDataRoots(model.Checkpoints, "model.checkpoints", "it", problems);
        if (folder is null) return new(architecture, parameters, [], null, null);

        ImmutableArray<CheckpointRef> checkpoints = [];
        try
        {
            // Every checkpoint file (and index.json) is judged by the data roots, not only the folder:
            // index.json may name files elsewhere, and a file in the folder may be a link to outside.
            var found = CheckpointDiscovery.Find(folder, path => roots.Resolve(path, baseDirectory) is not null, allowNone: follow is not null);
            // A following sweep takes every checkpoint, those there now too, as it lands: whole, deduplicated, thinned; a bad one fails its units.
            if (follow is not null)
                found = [];
            checkpoints = found
                .Select((c, i) => new CheckpointRef(c.Name, c.Step ?? i, c.Path, CheckpointFingerprint.Of(c.Path)))
                .ToImmutableArray();
        }
        catch (Exception e) when (e is IOException or CheckpointException or UnauthorizedAccessException)
        {
            problems.Add($"model.checkpoints: {e.Message}");
        }

        var descriptorFolder = Directory.Exists(folder) ? folder : Path.GetDirectoryName(folder)!;
        var descriptorPath = ModelDescriptor.PathIn(descriptorFolder);
        ModelDescriptor? descriptor = null;
        var unreadable = false;
        if (File.Exists(descriptorPath) && roots.Resolve(descriptorPath, baseDirectory) is null)
        {
            problems.Add($"model.checkpoints: {descriptorPath} leads outside the data roots ({roots.Describe()}): replace it with a file of its own, not a link to one outside");
            unreadable = true;
        }
        else
        {
            try { descriptor = ModelDescriptor.TryLoad(descriptorFolder); }
            catch (CheckpointException e) { problems.Add($"model.checkpoints: {e.Message}"); unreadable = true; }
        }

        if (descriptor is null)
        {
            if (architecture is null && !unreadable)
                problems.Add($"model.architecture is missing and {descriptorFolder} has no {ModelDescriptor.FileName}: name the architecture in the spec");
            return new(architecture, parameters, checkpoints, null, null);
        }

        if (architecture is not null && architecture != descriptor.Architecture)
        {
            problems.Add($"model.architecture '{architecture}' differs from '{descriptor.Architecture}' recorded in {descriptorPath}: leave it out or correct it");
            return new(architecture, parameters, checkpoints, descriptor, descriptorPath);
        }

        // model.json describes the network the checkpoints hold: it supplies what the spec leaves
        // out, and what the spec gives must agree with it.
        var recorded = descriptor.Parameters.ToImmutableSortedDictionary(StringComparer.Ordinal);
        var merged = recorded.SetItems(parameters);
        problems.AddRange(ParameterContradictions(descriptor, merged, model.Parameters, descriptorPath));
        return new(descriptor.Architecture, merged, checkpoints, descriptor, descriptorPath);
    }

    /// <summary>
    /// The model with its parameters that name files (<see cref="IArchitecture.FileParameters"/>, e.g. a TorchScript module)
    /// made absolute paths checked against the data roots, so every silo opens the file that was checked.
    /// </summary>
    private ResolvedModel WithFilesUnderDataRoots(ResolvedModel model, List<string> problems)
    {
        if (model.Architecture is null || !models.Architectures.TryGet(model.Architecture, out var architecture)) return model;
        var parameters = model.Parameters;
        foreach (var name in architecture.FileParameters)
        {
            if (!parameters.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value)) continue;
            var resolved = UnderDataRoots(value, $"model.parameters.{name}", "the model file", problems);
            if (resolved is not null && resolved != value) parameters = parameters.SetItem(name, resolved);
        }
        return model with { Parameters = parameters };
    }

    /// <summary>
    /// Each parameter whose value (after merging the spec's over model.json's) differs from
    /// model.json's. Values compare in canonical form, so an omitted default equals its explicit value.
    /// Invalid parameters are left to the zoo's checks, which report them.
    /// </summary>
    private IEnumerable<string> ParameterContradictions(
        ModelDescriptor descriptor, IReadOnlyDictionary<string, string> merged, IReadOnlyDictionary<string, string> given, string descriptorPath)
    {
        IReadOnlyDictionary<string, string> recorded, wanted;
        try
        {
            recorded = models.Architectures.CanonicalParameters(descriptor.Architecture, descriptor.Parameters);
            wanted = models.Architectures.CanonicalParameters(descriptor.Architecture, merged);
        }
        catch (ArgumentException)
        {
            yield break;
        }
        foreach (var key in recorded.Keys.Union(wanted.Keys).Order(StringComparer.Ordinal))
        {
            var mine = wanted.GetValueOrDefault(key);
            var theirs = recorded.GetValueOrDefault(key);
            if (mine == theirs)
                continue;
            var written = given.GetValueOrDefault(key) ?? mine ?? "(absent)";
            yield return $"model.parameters.{key} '{written}' contradicts {key} = {theirs ?? "(absent)"} recorded in {descriptorPath} for these checkpoints: " +
                         $"leave {key} out (model.json's value is used) or correct it";
        }
    }

    /// <summary>Problems when the data set's samples or classes are not what the checkpoints were trained on (model.json).</summary>
    private IEnumerable<string> DatasetFitsCheckpoints(DatasetSpec dataset, long[] sampleShape, ModelDescriptor descriptor, string descriptorPath)
    {
        var fix = $"use the data set and parameters the checkpoints were trained on (model.json names '{descriptor.Dataset}'), or checkpoints trained on this data";
        if (!sampleShape.SequenceEqual(descriptor.SampleShape))
            yield return $"dataset '{dataset.Name}' gives samples of shape [{string.Join(", ", sampleShape)}] but the checkpoints were trained on " +
                         $"sample shape [{string.Join(", ", descriptor.SampleShape)}] (sampleShape in {descriptorPath}): {fix}";
        var targetShape = models.TargetShape(dataset);
        if (!(targetShape ?? []).SequenceEqual(descriptor.TargetShape ?? []))
            yield return $"dataset '{dataset.Name}' has " + (targetShape is null ? "classes" : $"regression targets of shape [{string.Join(", ", targetShape)}]") +
                         " but the checkpoints were trained on " + (descriptor.TargetShape is null ? "classes" : $"regression targets of shape [{string.Join(", ", descriptor.TargetShape)}]") +
                         $" (targetShape in {descriptorPath}): {fix}";
        var classCount = models.ClassCount(dataset);
        if (classCount != descriptor.ClassCount)
            yield return $"dataset '{dataset.Name}' has {classCount} classes but the checkpoints classify into {descriptor.ClassCount} " +
                         $"(classCount in {descriptorPath}): {fix}";
    }

    /// <summary>Each layer's feature width after the reduction, from the tap shapes (computed without allocating the network).</summary>
    private ImmutableArray<LayerRef> WithWidths(
        ImmutableArray<LayerRef> layers, string architecture, IReadOnlyDictionary<string, string> parameters, SweepSpec spec, Reduction reduction)
    {
        var shapes = TapShapes(architecture, parameters, spec.Dataset);
        return layers.Select(l => l with { Width = reduction.OutputSize(shapes[l.Name]) }).ToImmutableArray();
    }

    /// <summary>The network's tap shapes on the data set's samples (computed without allocating the network).</summary>
    private IReadOnlyDictionary<string, long[]> TapShapes(string architecture, IReadOnlyDictionary<string, string> parameters, DatasetSpec dataset) =>
        models.TapShapes(architecture, parameters, dataset);

    /// <summary>
    /// The spec's layers in forward order (its index in <paramref name="taps"/> is a layer's depth), or the network's
    /// default taps when it lists none. A name that is not a tap is refused with the nearest ones.
    /// </summary>
    private static ImmutableArray<LayerRef> ResolveLayers(SweepSpec spec, IReadOnlyList<string> taps, IReadOnlyList<string> defaults, List<string> problems)
    {
        var wanted = spec.AllLayers ? defaults : spec.Layers;
        var known = taps.ToHashSet(StringComparer.Ordinal);
        foreach (var layer in wanted.Where(l => !known.Contains(l)))
            problems.Add(taps.Count <= 40
                ? $"layers: '{layer}' is not a tap of this model; its taps are {string.Join(", ", taps)}"
                : $"layers: '{layer}' is not a tap of this model{NearestNames.Suggestion(layer, taps)} (`probegrid layers SPEC` lists all {taps.Count})");
        // Keep depth order whatever order the spec lists them in.
        return taps.Select((t, i) => new LayerRef(t, i)).Where(l => wanted.Contains(l.Name)).ToImmutableArray();
    }
}
