using System.Text.Json;
using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// <c>resume.json</c> in a training folder: the last complete checkpoint, the optimizer state saved
/// with it, and the options that fix the run's trajectory. It is rewritten (atomically) only after
/// both files are on disk, so after a kill it always names a consistent pair.
/// </summary>
internal sealed record ResumePoint(
    long Step,
    string CheckpointFile,
    string OptimizerStateFile,
    string Optimizer,
    int BatchSize,
    double LearningRate,
    double Momentum,
    long Seed,
    double WeightDecay = 0) // absent from resume.json files written before weight decay existed: those runs had none
{
    public const string FileName = "resume.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static ResumePoint For(long step, string checkpointFile, string optimizerStateFile, TrainingOptions options) =>
        new(step, checkpointFile, optimizerStateFile, options.Optimizer, options.BatchSize, options.LearningRate, options.Momentum, options.Seed, options.WeightDecay);

    public static ResumePoint? TryLoad(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ResumePoint>(File.ReadAllText(path), Json)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"cannot be read ({e.Message}).",
                "Delete resume.json to restart training from step 0 in this folder, or use a new folder.", e);
        }
    }

    public void Save(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The options that would make a continued run differ from the interrupted one.</summary>
    public IReadOnlyList<string> DifferencesFrom(TrainingOptions options)
    {
        var differences = new List<string>();
        if (Optimizer != options.Optimizer) differences.Add($"Optimizer: {Optimizer} before, {options.Optimizer} now");
        if (BatchSize != options.BatchSize) differences.Add($"BatchSize: {BatchSize} before, {options.BatchSize} now");
        if (LearningRate != options.LearningRate) differences.Add($"LearningRate: {LearningRate} before, {options.LearningRate} now");
        if (Momentum != options.Momentum) differences.Add($"Momentum: {Momentum} before, {options.Momentum} now");
        if (Seed != options.Seed) differences.Add($"Seed: {Seed} before, {options.Seed} now");
        if (WeightDecay != options.WeightDecay) differences.Add($"WeightDecay: {WeightDecay} before, {options.WeightDecay} now");
        return differences;
    }
}
