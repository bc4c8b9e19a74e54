using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Specs;

public class SweepSpecReaderTests
{
    /// <summary>Only the required fields, with comments of both kinds and trailing commas.</summary>
    private const string MinimalSpec = """
        // a sweep with every optional field left out
        {
          "model": { "architecture": "mlp", /* untrained */ },
          "dataset": { "name": "gaussian-sign", },
          "analyses": [ { "kind": "probe", }, ],
        }
        """;

    private static SpecException Rejects(string json)
    {
        var e = Assert.Throws<SpecException>(() => SweepSpecReader.Parse(json));
        Assert.Equal(e.Problems.Length, e.Message.Split(Environment.NewLine).Count(l => l.StartsWith("  - ", StringComparison.Ordinal)));
        return e;
    }

    private static void AssertProblem(SpecException e, params string[] fragments) =>
        Assert.True(e.Problems.Any(p => fragments.All(f => p.Contains(f, StringComparison.Ordinal))),
            $"no problem contains all of [{string.Join(" | ", fragments)}]; problems:{Environment.NewLine}{string.Join(Environment.NewLine, e.Problems)}");

    [Fact]
    public void A_spec_with_comments_and_trailing_commas_parses_with_the_documented_defaults()
    {
        var spec = SweepSpecReader.Parse(MinimalSpec);

        Assert.Null(spec.SweepId);
        Assert.Equal("mlp", spec.Model.Architecture);
        Assert.Null(spec.Model.Checkpoints);
        Assert.Empty(spec.Model.Parameters);
        Assert.Equal(0, spec.Model.InitSeed);
        Assert.Equal("gaussian-sign", spec.Dataset.Name);
        Assert.Empty(spec.Dataset.Parameters);
        Assert.Equal(0, spec.Dataset.Seed);
        Assert.Equal(["*"], spec.Layers.ToArray());
        Assert.True(spec.AllLayers);
        Assert.Equal(new ReductionSpec("sparse-projection", 2048, 0), spec.Reduction);
        Assert.Equal(new ResourceSpec("auto", 256), spec.Resources);
        Assert.Equal(1, spec.Repeats);
        var analysis = Assert.Single(spec.Analyses);
        Assert.Equal("probe", analysis.Kind);
        Assert.Empty(analysis.Parameters);

        Assert.Equal("sparse-projection", SweepSpecReader.DefaultReduction);
        Assert.Equal(2048, SweepSpecReader.DefaultMaxDims);
        Assert.Equal(256, SweepSpecReader.DefaultBatchSize);
    }

    [Fact]
    public void Every_field_given_is_read_and_parameters_keep_their_json_text()
    {
        var spec = SweepSpecReader.Parse("""
            {
              "sweepId": "run-1.a_b",
              "model": { "architecture": "mlp", "parameters": { "depth": 4, "negativeSlope": 0.5, "activation": "leaky_relu" },
                         "checkpoints": "runs/a", "initSeed": -3 },
              "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 16 }, "seed": 9007199254740993 },
              "layers": ["logits", "input"],
              "reduction": { "kind": "flatten", "maxDims": 64, "seed": 5 },
              "analyses": [ { "kind": "probe", "parameters": { "learningRate": 1e-3, "maxEpochs": 40, "warmStart": true, "x": false } } ],
              "resources": { "device": "cpu", "batchSize": 32 },
              "repeats": 10000
            }
            """);

        Assert.Equal("run-1.a_b", spec.SweepId);
        Assert.Equal("runs/a", spec.Model.Checkpoints);
        Assert.Equal(-3, spec.Model.InitSeed);
        Assert.Equal(new Dictionary<string, string> { ["activation"] = "leaky_relu", ["depth"] = "4", ["negativeSlope"] = "0.5" }, spec.Model.Parameters);
        Assert.Equal(["activation", "depth", "negativeSlope"], spec.Model.Parameters.Keys); // sorted, ordinal
        Assert.Equal("16", spec.Dataset.Parameters["dimension"]);
        Assert.Equal(9007199254740993L, spec.Dataset.Seed); // not rounded through a double
        Assert.Equal(["logits", "input"], spec.Layers.ToArray()); // order as written; the planner sorts by depth
        Assert.False(spec.AllLayers);
        Assert.Equal(new ReductionSpec("flatten", 64, 5), spec.Reduction);
        Assert.Equal(new ResourceSpec("cpu", 32), spec.Resources);
        Assert.Equal(10000, spec.Repeats);
        Assert.Equal(new Dictionary<string, string> { ["learningRate"] = "1e-3", ["maxEpochs"] = "40", ["warmStart"] = "true", ["x"] = "false" },
            spec.Analyses[0].Parameters);
    }

    [Fact]
    public void Layers_may_be_a_single_string()
    {
        var spec = SweepSpecReader.Parse(MinimalSpec.Replace("\"dataset\"", "\"layers\": \"layer3\", \"dataset\""));
        Assert.Equal(["layer3"], spec.Layers.ToArray());
        Assert.False(spec.AllLayers);
    }

    [Fact]
    public void A_spec_with_many_mistakes_reports_every_one_at_once_each_naming_its_field()
    {
        var e = Rejects("""
            {
              "sweepId": "bad id!",
              "dataset": { "parameters": { "dimension": [1, 2] }, "seed": "one" },
              "layers": ["input", 7, "input"],
              "reduction": { "kind": "flatten", "maxDims": 0, "colour": "red" },
              "analyses": [ { "parameters": { "maxEpochs": 5 } }, 3 ],
              "resources": { "device": "tpu", "batchSize": 1.5 },
              "repeats": -2,
              "outputs": "here"
            }
            """);

        AssertProblem(e, "model is missing");
        AssertProblem(e, "outputs is not a known field", "sweepId, model, dataset");
        AssertProblem(e, "sweepId 'bad id!'");
        AssertProblem(e, "dataset.name is missing");
        AssertProblem(e, "dataset.parameters.dimension must be a string, number or boolean");
        AssertProblem(e, "dataset.seed must be an integer", "\"one\"");
        AssertProblem(e, "layers[1] must be a non-empty tap name");
        AssertProblem(e, "layers names a tap more than once");
        AssertProblem(e, "reduction.maxDims '0' is too small: the allowed range is 1 to 1048576");
        AssertProblem(e, "reduction.colour is not a known field", "kind, maxDims, seed");
        AssertProblem(e, "analyses[0].kind is missing");
        AssertProblem(e, "analyses[1] must be a JSON object");
        AssertProblem(e, "resources.device 'tpu'", "auto, cpu, cuda");
        AssertProblem(e, "resources.batchSize must be an integer from 1 to 65536", "found '1.5'");
        AssertProblem(e, "repeats '-2' is too small: the allowed range is 1 to 10000");
        Assert.Equal(15, e.Problems.Length);
        Assert.StartsWith("The sweep spec has 15 problem(s):", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_json_types_are_named_with_their_path()
    {
        var e = Rejects("""
            {
              "model": { "architecture": 5, "initSeed": 1.25, "parameters": [] },
              "dataset": "gaussian-sign",
              "layers": 3,
              "analyses": { "kind": "probe" },
              "repeats": "2"
            }
            """);

        AssertProblem(e, "model.architecture must be a non-empty string");
        AssertProblem(e, "model.initSeed must be an integer", "1.25");
        AssertProblem(e, "model.parameters must be an object");
        AssertProblem(e, "model: give 'architecture'"); // neither architecture nor checkpoints is usable
        AssertProblem(e, "dataset must be a JSON object");
        AssertProblem(e, "layers must be \"*\"");
        AssertProblem(e, "analyses must be a non-empty array");
        AssertProblem(e, "repeats must be an integer from 1 to 10000", "\"2\"");
        Assert.Equal(8, e.Problems.Length);
    }

    [Theory]
    [InlineData("\"repeats\": 0", "repeats '0' is too small: the allowed range is 1 to 10000")]
    [InlineData("\"repeats\": 10001", "repeats '10001' is too large: the allowed range is 1 to 10000")]
    [InlineData("\"layers\": []", "layers is empty")]
    [InlineData("\"analyses\": []", "analyses must be a non-empty array")]
    [InlineData("\"model\": { \"initSeed\": 1 }", "model: give 'architecture' (an untrained network) or 'checkpoints'")]
    [InlineData("\"model\": null", "model must be a JSON object")]
    [InlineData("\"resources\": { \"batchSize\": 65537 }", "resources.batchSize '65537' is too large: the allowed range is 1 to 65536")]
    [InlineData("\"sweepId\": \"-leading-dash\"", "sweepId '-leading-dash'")]
    public void A_single_mistake_gives_one_problem_naming_the_field(string replacement, string expected)
    {
        // Each replacement overrides (or adds) one field of an otherwise valid spec.
        var field = replacement[..replacement.IndexOf(':')];
        var json = field switch
        {
            "\"model\"" => MinimalSpec.Replace("\"model\": { \"architecture\": \"mlp\", /* untrained */ }", replacement),
            "\"analyses\"" => MinimalSpec.Replace("\"analyses\": [ { \"kind\": \"probe\", }, ]", replacement),
            _ => MinimalSpec.Replace("\"dataset\"", replacement + ", \"dataset\""),
        };
        Assert.NotEqual(MinimalSpec, json);

        var e = Rejects(json);

        Assert.StartsWith(expected, Assert.Single(e.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("fig3", true)]
    [InlineData("Run_1.2-b", true)]
    [InlineData("", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData("a\n", false)] // a trailing newline must not slip through into folder names and grain keys
    public void Sweep_ids_are_short_file_name_safe_words(string id, bool valid)
    {
        Assert.Equal(valid, SweepSpecReader.IsValidSweepId(id));
    }

    [Fact]
    public void Sweep_ids_are_at_most_64_characters()
    {
        Assert.True(SweepSpecReader.IsValidSweepId(new string('a', 64)));
        Assert.False(SweepSpecReader.IsValidSweepId(new string('a', 65)));
    }

    [Fact]
    public void Malformed_json_is_reported_with_its_line_and_position()
    {
        var e = Assert.Throws<SpecException>(() => SweepSpecReader.Parse(
            "{\n  \"model\": { \"architecture\": \"mlp\" }\n  \"dataset\": { \"name\": \"gaussian-sign\" }\n}", "fig.json"));

        var problem = Assert.Single(e.Problems);
        // The missing comma is detected at the start of line 3 ("dataset" after two spaces).
        Assert.StartsWith("fig.json is not valid JSON (line 3, byte 2): ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "line 1")]
    [InlineData("{ \"model\": ", "line 1")]
    [InlineData("{}\n{}", "line 2")]
    public void Truncated_empty_or_doubled_documents_are_not_valid_json(string json, string line)
    {
        var problem = Assert.Single(Assert.Throws<SpecException>(() => SweepSpecReader.Parse(json)).Problems);
        Assert.StartsWith("spec is not valid JSON (" + line + ",", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_value_that_is_not_an_object_is_rejected()
    {
        var problem = Assert.Single(Rejects("[1, 2]").Problems);
        Assert.StartsWith("the spec must be a JSON object", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_names_the_file_in_messages_and_reports_a_missing_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("broken.json");
        File.WriteAllText(path, "{ \"model\": ");

        var broken = Assert.Single(Assert.Throws<SpecException>(() => SweepSpecReader.ReadFile(path)).Problems);
        Assert.StartsWith("broken.json is not valid JSON (line 1,", broken, StringComparison.Ordinal);

        var missing = Assert.Single(Assert.Throws<SpecException>(() => SweepSpecReader.ReadFile(folder.File("nope.json"))).Problems);
        Assert.Contains("nope.json' does not exist", missing, StringComparison.Ordinal);

        File.WriteAllText(path, MinimalSpec);
        Assert.Equal("mlp", SweepSpecReader.ReadFile(path).Model.Architecture);
    }

    [Fact]
    public void The_example_specs_parse()
    {
        var examples = Path.Combine(RepositoryRoot(), "examples");
        var files = Directory.GetFiles(examples, "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
            Assert.NotEmpty(SweepSpecReader.ReadFile(file).Analyses);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ProbeGrid.sln"))) return dir.FullName;
        throw new InvalidOperationException("ProbeGrid.sln not found above " + AppContext.BaseDirectory);
    }
}
