using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Analysis.Zoo.TorchScript;

namespace ProbeGrid.Tests.Zoo.TorchScript;

/// <summary>
/// What architecture "torchscript" refuses, each with its cause and fix: its parameters, files that are not
/// TorchScript, forwards that return no taps or not tensors, samples the module rejects, and counts that disagree.
/// </summary>
[Collection(TorchScriptCollection.Name)]
public sealed class TorchScriptRefusalTests(TorchScriptFixture files)
{
    private static readonly long[] TinySample = [3, 8, 8];

    private Dictionary<string, string> Parameters(string file, string taps = "conv,pooled") =>
        new() { ["file"] = files.PathOf(file), ["taps"] = taps };

    [Fact]
    public void Missing_parameters_are_refused_together_and_taps_say_why_the_spec_names_them()
    {
        var problems = ModelZoo.ParameterProblems("torchscript", new Dictionary<string, string>());

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("torchscript: parameter 'file' is missing: give the path of a file written by torch.jit.save(torch.jit.script(model), path)", problems[0]);
        Assert.StartsWith("torchscript: parameter 'taps' is missing: give the names of the tensors forward returns after the logits", problems[1]);
        Assert.Contains("TorchSharp cannot read a List[str] back from TorchScript", problems[1]);
        Assert.Equal(["file", "taps"], ArchitectureRegistry.BuiltIn.ParameterNames("torchscript"));
    }

    [Fact]
    public void Bad_tap_names_are_refused_with_each_name()
    {
        var problems = ModelZoo.ParameterProblems("torchscript", new Dictionary<string, string> { ["file"] = "/x.pt", ["taps"] = "a, input, a b, a" });

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("names 'input': a tap name is letters, digits, '_', '.' and '-'"));
        Assert.Contains(problems, p => p.Contains("names 'a b'"));
        Assert.Contains(problems, p => p.Contains("names 'a' more than once"));
        Assert.Single(ModelZoo.ParameterProblems("torchscript", new Dictionary<string, string> { ["file"] = "/x.pt", ["taps"] = "a,,b" }),
            p => p.Contains("has an empty item"));
    }

    [Fact]
    public void Tap_names_come_from_the_parameters_without_opening_the_file()
    {
        var parameters = new Dictionary<string, string> { ["file"] = "/nowhere/model.pt", ["taps"] = " block1 , block2.relu" };

        Assert.Equal(["input", "block1", "block2.relu", "logits"], ModelZoo.TapNames("torchscript", parameters));
        Assert.Equal("block1,block2.relu", ModelZoo.CanonicalParameters("torchscript", parameters)["taps"]);
        Assert.Equal(["file"], ArchitectureRegistry.BuiltIn.Get("torchscript").FileParameters);
        Assert.Empty(ArchitectureRegistry.BuiltIn.Get("mlp").FileParameters);
    }

    [Theory]
    [InlineData("no-such-file.pt", "does not exist: check the path (parameter 'file')")]
    [InlineData("state_dict.pt", "is a state_dict saved with torch.save, not a TorchScript module: save the model with torch.jit.save(torch.jit.script(model), path)")]
    [InlineData("pickled_module.pt", "is a module pickled with torch.save, not a TorchScript module: save the model with torch.jit.save(torch.jit.script(model), path)")]
    [InlineData("legacy_pickle.pt", "is a pickle written by torch.save (a state_dict or a pickled module), not a TorchScript module")]
    [InlineData("tiny_checkpoint.safetensors", "is a safetensors file of weights, not a TorchScript module")]
    [InlineData("not_torchscript.txt", "is not a TorchScript file (TorchScript files are zip archives)")]
    [InlineData("bare.pt", "forward returns a single tensor (the logits alone), so there are no taps: make forward return (logits, tap1, tap2, ...)")]
    [InlineData("numbers.pt", "forward returns 2 values of which value 1 is a number: make forward return only tensors")]
    [InlineData("nested.pt", "forward returns 2 values of which value 1 is a nested list: make forward return only tensors, flat")]
    public void A_file_that_cannot_serve_is_refused_with_its_cause_and_fix(string file, string message)
    {
        var problems = ModelZoo.Validate("torchscript", Parameters(file), TinySample);

        var problem = Assert.Single(problems);
        Assert.StartsWith($"torchscript: TorchScript file '{files.PathOf(file)}'", problem);
        Assert.Contains(message, problem);
        var error = Assert.Throws<ArgumentException>(() => ModelZoo.Create("torchscript", Parameters(file), TinySample, 5, seed: 0));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Samples_the_module_rejects_are_refused_naming_the_data_sets_sample_shape()
    {
        var problem = Assert.Single(ModelZoo.Validate("torchscript", Parameters("tiny.pt"), [1, 8, 8]));

        Assert.Contains("forward refused a float32 batch of shape [2, 1, 8, 8] (2 samples of the data set's sample shape [1, 8, 8])", problem);
        Assert.Contains("expected input[2, 1, 8, 8] to have 3 channels", problem); // libtorch's own cause
        Assert.Contains("Use a data set whose samples this module takes", problem);
    }

    [Fact]
    public void A_tap_count_that_differs_from_forwards_is_refused_with_both_counts()
    {
        var problem = Assert.Single(ModelZoo.Validate("torchscript", Parameters("tiny.pt", "conv"), TinySample));

        Assert.Equal($"torchscript: forward of '{files.PathOf("tiny.pt")}' returns 2 taps after the logits (per-sample shapes [4, 8, 8], [16]), " +
                     "but parameter 'taps' names 1 (conv): give one name per returned tensor, in the order forward returns them.", problem);
    }

    [Fact]
    public void Missing_taps_are_refused_with_the_count_and_shapes_forward_returns()
    {
        var parameters = new Dictionary<string, string> { ["file"] = files.PathOf("tiny.pt") };
        var problems = ModelZoo.Validate("torchscript", parameters, TinySample);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("torchscript: parameter 'taps' is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("returns 2 taps after the logits (per-sample shapes [4, 8, 8], [16]): name them, in that order, with parameter 'taps'"));
    }

    [Fact]
    public void A_class_count_other_than_the_logits_width_is_refused()
    {
        const string message = "the logits of '{0}' have 5 classes, but the data set has 10 classes: use a data set with 5 classes, or export the network with a classifier for 10.";
        var expected = string.Format(message, files.PathOf("tiny.pt"));

        Assert.Empty(ModelZoo.Validate("torchscript", Parameters("tiny.pt"), TinySample));
        Assert.Equal(["torchscript: " + expected], ArchitectureRegistry.BuiltIn.Validate("torchscript", Parameters("tiny.pt"), TinySample, classCount: 10));
        Assert.Empty(ArchitectureRegistry.BuiltIn.Validate("torchscript", Parameters("tiny.pt"), TinySample, classCount: 5));
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => ModelZoo.Create("torchscript", Parameters("tiny.pt"), TinySample, 10, seed: 0)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => ModelZoo.TapShapes("torchscript", Parameters("tiny.pt"), TinySample, 10)).Message);
    }

    [Fact]
    public void A_file_replaced_in_place_is_run_again()
    {
        var path = Path.Combine(files.Folder, $"replaced-{Guid.NewGuid():N}.pt");
        var parameters = new Dictionary<string, string> { ["file"] = path, ["taps"] = "conv,pooled" };
        File.Copy(files.PathOf("bare.pt"), path);
        Assert.Contains("returns a single tensor", Assert.Single(ModelZoo.Validate("torchscript", parameters, TinySample)));

        File.Copy(files.PathOf("tiny.pt"), path, overwrite: true);
        Assert.Empty(ModelZoo.Validate("torchscript", parameters, TinySample));
        Assert.Equal([16L], ModelZoo.TapShapes("torchscript", parameters, TinySample, 5)["pooled"]);
    }
}
