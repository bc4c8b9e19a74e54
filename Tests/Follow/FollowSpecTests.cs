using ProbeGrid.Grains.Planning;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Follow;

/// <summary>"follow" in a spec: read with its defaults, every problem named with its fix, and what the planner refuses to follow.</summary>
public sealed class FollowSpecTests
{
    private static string Spec(string follow, string analyses = "{ \"kind\": \"probe\" }", string checkpoints = "\"run\"") => $$"""
        {
          "model": { "checkpoints": {{checkpoints}} },
          "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 16, "trainCount": 400, "validationCount": 100, "testCount": 200 } },
          "reduction": { "kind": "flatten" },
          "analyses": [ {{analyses}} ],
          "follow": {{follow}}
        }
        """;

    private static string[] ReadProblems(string json) => Assert.Throws<SpecException>(() => SweepSpecReader.Parse(json)).Problems;

    private static void AssertHas(IEnumerable<string> problems, params string[] fragments) =>
        Assert.True(problems.Any(p => fragments.All(f => p.Contains(f, StringComparison.Ordinal))),
            $"no problem contains all of [{string.Join(" | ", fragments)}]; problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");

    [Fact]
    public void Follow_true_is_every_checkpoint_with_the_documented_defaults_and_an_object_sets_each_field()
    {
        Assert.Equal(FollowSpec.Default, SweepSpecReader.Parse(Spec("true")).Follow);
        Assert.Equal(new FollowSpec(ThinningSpec.Every, 0, 30, 5), FollowSpec.Default);
        Assert.Null(SweepSpecReader.Parse(Spec("false")).Follow);
        var spec = SweepSpecReader.Parse(Spec("""{ "thinning": { "kind": "steps", "interval": 1000 }, "idleMinutes": 90, "settleSeconds": 10, "pollSeconds": 0.5 }"""));
        Assert.Equal(new FollowSpec(new ThinningSpec(ThinningSpec.StepsKind, 1000), 90, 10, 0.5), spec.Follow);
        Assert.Equal(new ThinningSpec(ThinningSpec.NewestFirstKind, 0), SweepSpecReader.Parse(Spec("""{ "thinning": "newest-first" }""")).Follow!.Thinning);
        Assert.Equal(new ThinningSpec(ThinningSpec.MinutesKind, 60), SweepSpecReader.Parse(Spec("""{ "thinning": { "kind": "minutes", "interval": 60 } }""")).Follow!.Thinning);
    }

    [Fact]
    public void A_spec_without_follow_keeps_the_fingerprint_it_had_before_follow_existed()
    {
        var spec = SweepSpecReader.Parse(Spec("false"));
        // The fingerprint serializes the spec: a null Follow must not appear in it.
        Assert.DoesNotContain("Follow", System.Text.Json.JsonSerializer.Serialize(spec));
        Assert.NotEqual(SpecFingerprint.Of(spec), SpecFingerprint.Of(spec with { Follow = FollowSpec.Default }));
    }

    [Fact]
    public void Every_problem_with_follow_is_listed_at_once_with_its_fix()
    {
        var problems = ReadProblems(Spec("""{ "thinning": { "kind": "steps" }, "idleMinutes": -1, "pollSeconds": 0, "every": 3 }"""));
        AssertHas(problems, "follow.thinning.interval is missing", "\"interval\": 1000");
        AssertHas(problems, "follow.idleMinutes must be a number from 0 (never)");
        AssertHas(problems, "follow.pollSeconds must be a number from 0.1");
        AssertHas(problems, "follow.every is not a known field", "thinning, idleMinutes, settleSeconds, pollSeconds");
        AssertHas(ReadProblems(Spec("\"yes\"")), "follow must be true, false or an object");
        AssertHas(ReadProblems(Spec("""{ "thinning": "sometimes" }""")), "follow.thinning 'sometimes' is not a thinning policy", "newest-first");
        AssertHas(ReadProblems(Spec("""{ "thinning": "steps" }""")), "follow.thinning 'steps' needs an interval");
        AssertHas(ReadProblems(Spec("""{ "thinning": { "kind": "every", "interval": 5 } }""")), "thinning 'every' takes no interval");
    }

    [Fact]
    public void The_planner_refuses_what_cannot_follow_a_run_naming_the_fix_and_plans_an_empty_folder()
    {
        using var root = new TempFolder();
        var run = Path.Combine(root.Path, "run");
        GridTestRun.WriteCheckpoints(root.Path, 0); // model.json only: the run has not written a checkpoint yet
        var planner = new SweepPlanner(new DataRoots([root.Path]), root.Path);
        string[] Problems(string json) => Assert.Throws<SpecException>(() => planner.Plan(SweepSpecReader.Parse(json), "s")).Problems;

        var empty = planner.Plan(SweepSpecReader.Parse(Spec("true")), "s");
        Assert.Empty(empty.Checkpoints);
        Assert.True(empty.ByCheckpoint);
        Assert.Equal(0, empty.UnitCount);

        AssertHas(Problems(Spec("true", analyses: "{ \"kind\": \"cka\", \"parameters\": { \"samples\": 50 } }")),
            "analyses[0].kind 'cka' cannot follow a training run", "cka.final", "submit the sweep once training has finished");
        AssertHas(Problems(Spec("""{ "thinning": "newest-first" }""", analyses: "{ \"kind\": \"probe\", \"parameters\": { \"warmStart\": true } }")),
            "'newest-first' analyses checkpoints out of training order", "warm start", "use thinning \"every\"");
        AssertHas(Problems(Spec("true", checkpoints: "null").Replace("\"checkpoints\": null", "\"architecture\": \"mlp\"")),
            "follow:", "model.checkpoints is missing");
        GridTestRun.WriteCheckpoints(Path.Combine(root.Path, "other"), 1);
        AssertHas(Problems(Spec("true", checkpoints: "\"other/run/step-0000000.pt\"")), "is one checkpoint file", "name the folder the run writes into");
        AssertHas(Problems(Spec("true", checkpoints: "\"nowhere\"")), "model.checkpoints", "does not exist");
    }
}
