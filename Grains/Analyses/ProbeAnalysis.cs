using System.Globalization;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "probe" analysis of a sweep spec (Alain and Bengio 2016): reads its parameters into
/// <see cref="ProbeOptions"/> and turns probe results into metric values.
/// </summary>
public static class ProbeAnalysis
{
    public const string Kind = "probe";

    public static readonly IReadOnlyList<string> ParameterNames =
        ["optimizer", "learningRate", "momentum", "batchSize", "maxEpochs", "patience", "minDelta", "weightDecay", "seed", "warmStart"];

    public static bool WarmStart(AnalysisSpec spec) =>
        spec.Parameters.TryGetValue("warmStart", out var v) && bool.Parse(v);

    /// <summary>Every problem with the parameters, each naming the field and the fix.</summary>
    public static IReadOnlyList<string> Validate(AnalysisSpec spec, string path)
    {
        var problems = new List<string>();
        // A value that does not parse is read as its default, so the range checks see only the
        // values that did parse and report nothing twice: names, parse and range problems come in one round.
        var options = Read(spec, path, problems);
        problems.AddRange(options.Validate().Select(p => $"{path}: {p}"));
        return problems;
    }

    public static ProbeOptions Options(AnalysisSpec spec)
    {
        var problems = new List<string>();
        var options = Read(spec, "probe", problems);
        if (problems.Count > 0) throw new SpecException(problems);
        return options;
    }

    public static IEnumerable<MetricValue> Metrics(ProbeResult result, CheckpointRef checkpoint, LayerRef layer, int repeat)
    {
        MetricValue M(string metric, double value) => new(checkpoint.Name, checkpoint.Step, layer.Name, layer.Index, repeat, metric, value);
        yield return M(MetricNames.ProbeTrainError, result.TrainError);
        yield return M(MetricNames.ProbeTrainLoss, result.TrainLoss);
        yield return M(MetricNames.ProbeValError, result.ValidationError);
        yield return M(MetricNames.ProbeValLoss, result.ValidationLoss);
        yield return M(MetricNames.ProbeTestError, result.TestError);
        yield return M(MetricNames.ProbeTestLoss, result.TestLoss);
        yield return M(MetricNames.ProbeEpochs, result.EpochsRun);
        yield return M(MetricNames.ProbeBestEpoch, result.BestEpoch);
        yield return M(MetricNames.ProbeWarmStarted, result.WarmStarted ? 1 : 0);
    }

    private static ProbeOptions Read(AnalysisSpec spec, string path, List<string> problems)
    {
        var p = spec.Parameters;
        foreach (var name in p.Keys.Where(k => !ParameterNames.Contains(k)))
            problems.Add($"{path}.parameters.{name} is not a probe parameter: use {string.Join(", ", ParameterNames)}");
        var defaults = new ProbeOptions();
        T Get<T>(string name, T fallback, Func<string, (bool, T)> parse)
        {
            if (!p.TryGetValue(name, out var text)) return fallback;
            var (ok, value) = parse(text);
            if (!ok) problems.Add($"{path}.parameters.{name} '{text}' is not a valid {typeof(T).Name.ToLowerInvariant()}");
            return ok ? value : fallback;
        }
        (bool, int) Int(string s) => (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v), v);
        (bool, long) Long(string s) => (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v), v);
        (bool, double) Real(string s) => (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v), v);
        Get("warmStart", false, s => (bool.TryParse(s, out var v), v));
        return defaults with
        {
            Optimizer = Get("optimizer", defaults.Optimizer, s => (true, s)),
            LearningRate = Get("learningRate", defaults.LearningRate, Real),
            Momentum = Get("momentum", defaults.Momentum, Real),
            BatchSize = Get("batchSize", defaults.BatchSize, Int),
            MaxEpochs = Get("maxEpochs", defaults.MaxEpochs, Int),
            Patience = Get("patience", defaults.Patience, Int),
            MinDelta = Get("minDelta", defaults.MinDelta, Real),
            WeightDecay = Get("weightDecay", defaults.WeightDecay, Real),
            Seed = Get("seed", defaults.Seed, Long),
        };
    }
}
