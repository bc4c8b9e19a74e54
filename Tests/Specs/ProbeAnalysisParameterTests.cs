using System.Collections.Immutable;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Tests.Specs;

/// <summary>The "probe" analysis's spec parameters map onto <see cref="ProbeOptions"/>, and bad ones are reported by name.</summary>
public class ProbeAnalysisParameterTests
{
    /// <summary>The settings the planner would keep; a problem fails the test, naming it.</summary>
    private static ProbeSettings Settings(AnalysisSpec spec)
    {
        var problems = new List<string>();
        var settings = ProbeAnalysis.ReadSettings(spec, "analyses[0]", problems);
        Assert.Empty(problems);
        return settings!;
    }

    private static List<string> Problems(AnalysisSpec spec, string path)
    {
        var problems = new List<string>();
        Assert.Null(ProbeAnalysis.ReadSettings(spec, path, problems));
        return problems;
    }

    private static AnalysisSpec Probe(params (string Name, string Value)[] parameters) =>
        new(ProbeAnalysis.Kind, parameters.ToImmutableSortedDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));

    [Fact]
    public void No_parameters_give_the_default_options()
    {
        var spec = Probe();
        // The analysis's default optimizer is 'optimal' (ProbeOptions on its own keeps the paper's rmsprop).
        Assert.Equal(new ProbeSettings(new ProbeOptions { Optimizer = ProbeOptions.Optimal }, WarmStart: false, new OptimalProbeOptions()), Settings(spec));
        Assert.Equal("probe", ProbeAnalysis.Kind);
    }

    [Fact]
    public void Every_parameter_maps_onto_its_option()
    {
        var spec = Probe(("optimizer", "adam"), ("learningRate", "0.01"), ("batchSize", "64"), ("maxEpochs", "7"), ("patience", "2"),
            ("minDelta", "1e-4"), ("weightDecay", "0.5"), ("seed", "-9"), ("warmStart", "true"));

        var options = Settings(spec).Classifier;

        Assert.Equal(new ProbeOptions
        {
            Optimizer = ProbeOptions.Adam,
            LearningRate = 0.01,
            BatchSize = 64,
            MaxEpochs = 7,
            Patience = 2,
            MinDelta = 1e-4,
            WeightDecay = 0.5,
            Seed = -9,
        }, options);
        Assert.True(Settings(spec).WarmStart);
        Assert.False(Settings(Probe(("warmStart", "false"))).WarmStart);
        Assert.Equal(["optimizer", "learningRate", "momentum", "batchSize", "maxEpochs", "patience", "minDelta", "weightDecay", "seed", "warmStart",
            "l2Grid", "gradientTolerance", "maxIterations", "precision"], ProbeAnalysis.ParameterNames);
    }

    [Fact]
    public void Parameters_left_out_keep_their_defaults()
    {
        var options = Settings(Probe(("optimizer", "lbfgs"), ("maxEpochs", "30"))).Classifier;
        Assert.Equal(new ProbeOptions { Optimizer = ProbeOptions.Lbfgs, MaxEpochs = 30 }, options);
        Assert.Equal(1e-3, options.LearningRate);
        Assert.Equal(128, options.BatchSize);
        Assert.Equal(5, options.Patience);
    }

    [Fact]
    public void Unknown_names_and_unparsable_values_are_all_reported_with_the_path()
    {
        var problems = Problems(Probe(("optimizer", "rmsprop"), ("learning_rate", "0.1"), ("epochs", "3"), ("maxEpochs", "ten"),
            ("learningRate", "0,01"), ("seed", "1.5"), ("warmStart", "yes")), "analyses[2]");

        Assert.Equal([
            "analyses[2].parameters.epochs is not a probe parameter: use optimizer, learningRate, momentum, batchSize, maxEpochs, patience, minDelta, weightDecay, seed, warmStart, l2Grid, gradientTolerance, maxIterations, precision",
            "analyses[2].parameters.learning_rate is not a probe parameter: use optimizer, learningRate, momentum, batchSize, maxEpochs, patience, minDelta, weightDecay, seed, warmStart, l2Grid, gradientTolerance, maxIterations, precision",
            "analyses[2].parameters.warmStart 'yes' is not a valid boolean (true or false)",
            "analyses[2].parameters.learningRate '0,01' is not a valid number",
            "analyses[2].parameters.maxEpochs 'ten' is not a valid integer",
            "analyses[2].parameters.seed '1.5' is not a valid integer",
        ], problems);
    }

    [Fact]
    public void Out_of_range_values_are_reported_by_the_options_checks()
    {
        var problems = Problems(Probe(("optimizer", "nesterov"), ("learningRate", "NaN"), ("batchSize", "0"), ("maxEpochs", "-1"),
            ("patience", "0"), ("minDelta", "-0.1"), ("weightDecay", "Infinity")), "analyses[0]");

        Assert.Equal([
            "analyses[0]: optimizer 'nesterov' is not supported: use rmsprop, adam, sgd, lbfgs, optimal",
            "analyses[0]: learningRate NaN must be a positive number",
            "analyses[0]: batchSize 0 must be at least 1",
            "analyses[0]: maxEpochs -1 must be at least 1",
            "analyses[0]: patience 0 must be at least 1",
            "analyses[0]: minDelta -0.1 must be zero or positive",
            "analyses[0]: weightDecay Infinity must be zero or positive",
        ], problems);
    }

    [Fact]
    public void Range_problems_are_reported_together_with_unknown_names_and_unparsable_values()
    {
        var problems = Problems(Probe(("optimizer", "rmsprop"), ("epochs", "3"), ("patience", "0"), ("maxEpochs", "many"), ("learningRate", "-1")), "analyses[0]");

        Assert.Equal([
            "analyses[0].parameters.epochs is not a probe parameter: use " + string.Join(", ", ProbeAnalysis.ParameterNames),
            "analyses[0].parameters.maxEpochs 'many' is not a valid integer",
            "analyses[0]: learningRate -1 must be a positive number",
            "analyses[0]: patience 0 must be at least 1",
        ], problems);
    }

    [Fact]
    public void The_optimal_probe_reads_its_solver_parameters_and_refuses_them_for_other_optimizers()
    {
        var settings = Settings(Probe(("optimizer", "optimal"), ("l2Grid", "1e-4, 1e-2,1"), ("gradientTolerance", "1e-7"), ("maxIterations", "50")));
        Assert.Equal([1e-4, 1e-2, 1], settings.Optimum!.L2Grid);
        Assert.Equal((1e-7, 50), (settings.Optimum.GradientTolerance, settings.Optimum.MaxIterations));
        Assert.Equal(Analysis.LinearProbes.OptimalProbeOptions.DefaultL2Grid, Settings(Probe(("optimizer", "optimal"))).Optimum!.L2Grid);
        Assert.True(settings.Optimum.DoublePrecision);
        Assert.False(Settings(Probe(("optimizer", "optimal"), ("precision", "float32"))).Optimum!.DoublePrecision);
        Assert.Equal(["analyses[0].parameters.precision 'half' is not a precision: use float64 or float32"],
            Problems(Probe(("optimizer", "optimal"), ("precision", "half")), "analyses[0]"));

        Assert.Equal([
            "analyses[0].parameters.l2Grid applies to optimizer 'optimal' only: leave it out, or set optimizer to 'optimal'",
        ], Problems(Probe(("optimizer", "rmsprop"), ("l2Grid", "1e-3")), "analyses[0]"));
        Assert.Equal([
            "analyses[0].parameters.l2Grid '1e-3,x' must be comma-separated numbers, e.g. \"1e-4,1e-3,1e-2\"",
            "analyses[0]: maxIterations 0 must be at least 1",
        ], Problems(Probe(("optimizer", "optimal"), ("l2Grid", "1e-3,x"), ("maxIterations", "0")), "analyses[0]"));
        Assert.Contains("analyses[0]: every l2Grid value must be a positive number (a strictly convex problem has one optimum)",
            Problems(Probe(("optimizer", "optimal"), ("l2Grid", "0,1")), "analyses[0]"));
        Assert.Equal([
            "analyses[0].parameters.maxEpochs does not apply to optimizer 'optimal' (solved to its optimum): leave it out, or set optimizer to 'rmsprop' (the paper's) or another trained optimizer",
            "analyses[0].parameters.weightDecay does not apply to optimizer 'optimal' (solved to its optimum; its L2 strengths are l2Grid): leave it out, or set optimizer to 'rmsprop' (the paper's) or another trained optimizer",
        ], Problems(Probe(("optimizer", "optimal"), ("weightDecay", "0.1"), ("maxEpochs", "5")), "analyses[0]"));
    }
}
