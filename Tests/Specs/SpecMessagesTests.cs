using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Planning;

namespace ProbeGrid.Tests.Specs;

/// <summary>Issue 13, item 9: what a spec's author reads when a spec is wrong: the cause, the range, every problem at once, no value echoed whole.</summary>
public sealed class SpecMessagesTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static string[] Problems(string json) => Assert.Throws<SpecException>(() => SweepSpecReader.Parse(json)).Problems;

    private static string Spec(string extra = "", string dataset = "{ \"name\": \"gaussian-sign\" }", string model = "{ \"architecture\": \"mlp\" }") =>
        $$"""{ {{extra}} "model": {{model}}, "dataset": {{dataset}}, "analyses": [ { "kind": "probe" } ] }""";

    [Theory]
    [InlineData("\"repeats\": 1e12,", "repeats '1e12' is too large: the allowed range is 1 to 10000")]
    [InlineData("\"repeats\": 1000000000000,", "repeats '1000000000000' is too large: the allowed range is 1 to 10000")]
    [InlineData("\"repeats\": 0,", "repeats '0' is too small: the allowed range is 1 to 10000")]
    [InlineData("\"resources\": { \"batchSize\": 3000000000 },", "resources.batchSize '3000000000' is too large: the allowed range is 1 to 65536")]
    [InlineData("\"reduction\": { \"seed\": 99999999999999999999 },", "reduction.seed '99999999999999999999' is too large: the allowed range is -9223372036854775808 to 9223372036854775807")]
    [InlineData("\"repeats\": 2.5,", "repeats must be an integer from 1 to 10000 (found '2.5')")]
    public void A_whole_number_out_of_range_is_too_large_or_too_small_with_the_range(string field, string expected)
    {
        Assert.Equal(expected, Assert.Single(Problems(Spec(field))));
    }

    [Fact]
    public void A_train_count_beyond_32_bits_is_too_large_not_a_non_integer()
    {
        var problem = Assert.Single(DatasetCatalog.Validate("gaussian-sign", new Dictionary<string, string> { ["trainCount"] = "1000000000000" }));
        Assert.Equal("dataset 'gaussian-sign': parameter 'trainCount' '1000000000000' is too large: the allowed range is -2147483648 to 2147483647", problem);
        Assert.Contains("'trainCount' '1e12' is too large", Assert.Single(DatasetCatalog.Validate("gaussian-sign", new Dictionary<string, string> { ["trainCount"] = "1e12" })));
        Assert.Contains("'trainCount' must be an integer (got 'abc')", Assert.Single(DatasetCatalog.Validate("gaussian-sign", new Dictionary<string, string> { ["trainCount"] = "abc" })));
    }

    [Fact]
    public void An_analysis_parameter_beyond_32_bits_is_too_large()
    {
        var spec = SweepSpecReader.Parse(Spec().Replace("{ \"kind\": \"probe\" }", "{ \"kind\": \"probe\", \"parameters\": { \"maxEpochs\": 1e12 } }"));
        var problems = Assert.Throws<SpecException>(() => new SweepPlanner(new DataRoots([temp.Path]), temp.Path).Plan(spec, "s")).Problems;
        Assert.Contains("analyses[0].parameters.maxEpochs '1e12' is too large: the allowed range is -2147483648 to 2147483647", problems);
    }

    [Fact]
    public void A_spec_path_that_is_a_folder_says_so_and_names_the_json_files_in_it()
    {
        File.WriteAllText(temp.File("fig3.json"), Spec());
        var problem = Assert.Single(Assert.Throws<SpecException>(() => SweepSpecReader.ReadFile(temp.Path)).Problems);
        Assert.Contains("is a folder: give the path of the sweep spec's JSON file (this folder holds 'fig3.json')", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_sweep_id_field_name_or_value_is_refused_with_a_short_prefix_only()
    {
        var huge = new string('x', 1_000_000);
        var problems = Problems(Spec($"\"sweepId\": \"{huge}\", \"{huge}\": 1,", dataset: $"{{ \"name\": \"gaussian-sign\", \"parameters\": {{ \"trainCount\": \"{huge}\" }} }}"));

        Assert.True(problems.Length == 3, string.Join(Environment.NewLine, problems.Select(p => p[..Math.Min(p.Length, 300)])));
        Assert.Contains(problems, p => p.StartsWith("sweepId 'xxxx", StringComparison.Ordinal) && p.Contains("…' (1,000,000 characters) is 1,000,000 characters long: use 1 to 64 letters", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("is not a known field: use sweepId, model, dataset, layers, reduction, analyses, resources, repeats, follow", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("dataset.parameters.trainCount is 1,000,000 characters long", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.True(p.Length < 250, $"{p.Length} characters: {p[..Math.Min(p.Length, 300)]}"));
    }

    [Fact]
    public void Problems_of_reading_and_of_planning_are_reported_together()
    {
        // An unknown field and a bad repeats (reading), an unknown layer and a bad mlp parameter (planning).
        var spec = temp.File("two-stages.json");
        File.WriteAllText(spec, Spec("\"outputs\": 1, \"repeats\": 0, \"layers\": [\"nope\"],", model: "{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": 2, \"width\": 4 } }"));
        var logger = new CollectingLogger();
        var planner = new SweepPlanner(new DataRoots([temp.Path]), temp.Path);

        Assert.False(SpecFile.TryRead(spec, logger, (s, id) => SpecFile.PlanningProblems(planner, s, id), out _, out _));

        var message = Assert.Single(logger.Messages);
        Assert.Contains("outputs is not a known field", message, StringComparison.Ordinal);
        Assert.Contains("repeats '0' is too small", message, StringComparison.Ordinal);
        Assert.Contains("'nope'", message, StringComparison.Ordinal);
        Assert.Contains("The sweep spec has 3 problem(s)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_data_set_does_not_hide_the_models_own_problems()
    {
        var spec = SweepSpecReader.Parse(Spec(dataset: "{ \"name\": \"gaussian-sign\", \"parameters\": { \"trainCount\": \"abc\" } }",
            model: "{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": \"deep\" } }"));
        var problems = Assert.Throws<SpecException>(() => new SweepPlanner(new DataRoots([temp.Path]), temp.Path).Plan(spec, "s")).Problems;
        Assert.Contains(problems, p => p.Contains("'trainCount' must be an integer (got 'abc')", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("model: ", StringComparison.Ordinal) && p.Contains("'depth'", StringComparison.Ordinal));
    }

    private sealed class CollectingLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
