using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ProbeGrid.Analysis.Cka;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Transport;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>
/// Settings travel typed: every analysis's settings, with values other than the defaults, come back whole from
/// Orleans' encoding (the wire and the stored plan), behind the abstract type the plan and the work hold.
/// </summary>
public class AnalysisSettingsSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddBuiltInAnalyses().BuildServiceProvider().GetRequiredService<Serializer>();

    public static TheoryData<string> Kinds => [.. AnalysisRegistration.BuiltIn().Select(a => a.Kind)];

    private static readonly ImmutableArray<AnalysisSettings> Examples =
    [
        new ProbeSettings(new ProbeOptions { Optimizer = ProbeOptions.Adam, LearningRate = 0.1 / 3, BatchSize = 7, Seed = -5 }, WarmStart: true),
        new WassersteinSettings(new ProbeOptions { MaxEpochs = 3 }, new WassersteinOptions { Sinkhorn = new SinkhornOptions { Epsilon = 1e-3 }, GridStep = 0.1 },
            "/data/labels.txt", CostPower: 2.5),
        new ComplexitySettings(new DisentanglerOptions { Orders = [1, 2, 9], Width = 0.3 }, FitSamples: 11, GameSamples: 12, Shards: 3, Permutations: 17,
            ["/data/a.pt", "/data/b.pt"], new ReliabilityOptions { CycleRounds = 2 }),
        new DiscardingSettings(Samples: 3, SampleOffset: 5, Shards: 2, Maps: 1, DiscardingAnalysis.RuAtSidSigma,
            new InfoDiscardingOptions { Tau = 0.02, InitialLambda = 0.5 }, DecoderSamples: 99, new DecoderOptions { Width = 8 }),
        new CkaSettings(33, new CkaOptions { Estimator = HsicEstimator.Debiased, MinibatchSize = 16 }),
        new SyntheticSettings(250),
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_built_in_analysis_has_settings_that_survive_the_round_trip(string kind)
    {
        var original = Assert.Single(Examples, s => s.Kind == kind);

        var copy = Serializer.Deserialize<AnalysisSettings>(Serializer.SerializeToArray<AnalysisSettings>(original));

        Assert.NotNull(copy);
        Assert.IsType(original.GetType(), copy);
        // Field by field, nested options included (a list inside an option compares by reference in record equality).
        Assert.Equal(JsonSerializer.Serialize(original, original.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void A_plan_carries_its_settings_in_the_spec_order()
    {
        var spec = new SweepSpec(null, new ModelSpec("mlp", ImmutableSortedDictionary<string, string>.Empty, null, 0),
            new DatasetSpec("gaussian-sign", ImmutableSortedDictionary<string, string>.Empty, 0), ["*"], new ReductionSpec("flatten", 0, 0),
            [new AnalysisSpec("cka", ImmutableSortedDictionary<string, string>.Empty), new AnalysisSpec("probe", ImmutableSortedDictionary<string, string>.Empty)],
            new ResourceSpec("cpu", 64), 1);
        var plan = new SweepPlan("s", spec, "mlp", ImmutableSortedDictionary<string, string>.Empty, [new CheckpointRef("c", 0, null)], [new LayerRef("l", 0)])
        {
            Settings = [Examples.Single(s => s.Kind == "cka"), Examples.Single(s => s.Kind == "probe")],
        };

        var copy = Serializer.Deserialize<SweepPlan>(Serializer.SerializeToArray(plan))!;

        Assert.Equal(["cka", "probe"], copy.Settings.Select(s => s.Kind));
        Assert.Equal(plan.Settings.ToArray(), copy.Settings.ToArray());
    }

    [Fact]
    public void A_plan_stored_before_settings_were_kept_gets_the_same_settings_from_its_spec()
    {
        using var root = new TempFolder();
        var planner = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path);
        // Stored when the probe's default optimizer was rmsprop: its spec names none.
        var stored = SweepSpecReader.Parse("""
            {
              "model": { "architecture": "mlp", "parameters": { "depth": 2, "width": 4 } },
              "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 4 } },
              "analyses": [ { "kind": "probe", "parameters": { "warmStart": "true", "maxEpochs": "4" } }, { "kind": "cka", "parameters": { "samples": "50" } } ]
            }
            """);
        var asRun = stored with { Analyses = [stored.Analyses[0] with { Parameters = stored.Analyses[0].Parameters.SetItem("optimizer", "rmsprop") }, stored.Analyses[1]] };
        var plan = planner.Plan(asRun, "s");

        var reread = planner.SettingsOf(plan with { Spec = plan.Spec with { Analyses = stored.Analyses }, Settings = default });

        Assert.Equal(plan.Settings.ToArray(), reread.ToArray());
        Assert.Equal(new ProbeSettings(new ProbeOptions { Optimizer = ProbeOptions.RmsProp, MaxEpochs = 4 }, WarmStart: true), reread[0]);
        // Submitted today, the same spec means the optimal probe, to which maxEpochs does not apply.
        Assert.Throws<SpecException>(() => planner.Plan(stored, "t"));
        Assert.Equal(50, ((CkaSettings)reread[1]).Samples);
    }
}
