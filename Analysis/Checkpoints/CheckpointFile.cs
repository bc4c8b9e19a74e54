using System.Text;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Saves and loads a zoo model's weights. Saving writes TorchSharp's own format (or F32
/// safetensors for a <c>.safetensors</c> path); loading accepts either, recognised by extension
/// or content. Loading checks every tensor's name and shape against the model before copying
/// anything, so a mismatched checkpoint is reported whole and leaves the model untouched.
/// </summary>
public static class CheckpointFile
{
    private const string MismatchFix =
        "The checkpoint was written for a different network. Build the model with the architecture, parameters, sample shape " +
        "and class count it was trained with (see model.json in its folder), or point the sweep at the checkpoints of this model.";

    /// <summary>Writes the model's state atomically (a killed process never leaves a half-written checkpoint).</summary>
    public static void Save(TappedModel model, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        if (IsSafetensorsPath(path))
        {
            SafetensorsFormat.Write(path, model.state_dict());
            return;
        }
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            model.save(writer);
            writer.Flush();
        });
    }

    /// <summary>Copies the checkpoint's tensors into the model, converting dtypes to the model's.</summary>
    /// <exception cref="CheckpointException">
    /// The file is missing, truncated or corrupt, or does not match the model: lists each missing
    /// tensor, each unexpected tensor and each shape mismatch.
    /// </exception>
    public static void Load(TappedModel model, string path)
    {
        var layout = MatchedLayout(model, path);
        var targets = model.state_dict();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var stream = File.OpenRead(path);
        foreach (var tensor in layout)
            targets[tensor.Name].copy_(tensor.ReadFrom(stream));
    }

    /// <summary>
    /// Checks, from the file's headers alone (no tensor data is read, so it is cheap), that the checkpoint
    /// would load into the model: what a sweep's planner checks for every checkpoint before any work.
    /// </summary>
    /// <exception cref="CheckpointException">as <see cref="Load"/>.</exception>
    public static void Check(TappedModel model, string path) => MatchedLayout(model, path);

    /// <summary>Checks, from the file's headers alone, that it is a checkpoint that can be read (whichever network it fits).</summary>
    /// <exception cref="CheckpointException">the file is missing, truncated, corrupt or not a checkpoint.</exception>
    public static void CheckReadable(string path) => ReadLayout(path);

    private static IReadOnlyList<StoredTensor> ReadLayout(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException(path, "the file does not exist.", "Check the path (and the sweep's checkpoint folder or glob).");
        return IsSafetensorsPath(path) || SafetensorsFormat.LooksLikeSafetensors(path)
            ? SafetensorsFormat.ReadLayout(path)
            : TorchSharpCheckpointFormat.ReadLayout(path);
    }

    private static IReadOnlyList<StoredTensor> MatchedLayout(TappedModel model, string path)
    {
        var layout = ReadLayout(path);

        var targets = model.state_dict();
        var stored = layout.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, target) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
            if (!stored.ContainsKey(name))
                problems.Add($"missing tensor '{name}' (the model expects shape {ShapeText(target.shape)}).");
        foreach (var tensor in layout.OrderBy(t => t.Name, StringComparer.Ordinal))
            if (!targets.ContainsKey(tensor.Name))
                problems.Add(TensorName.IsParameterPath(tensor.Name)
                    ? $"unexpected tensor '{tensor.Name}' (shape {tensor.ShapeText}) that the model does not have."
                    : $"unexpected tensor {TensorName.Describe(tensor.Name, tensor.Index)} that the model does not have.");
        foreach (var (name, target) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!stored.TryGetValue(name, out var tensor))
                continue;
            if (!tensor.Shape.SequenceEqual(target.shape))
                problems.Add($"shape mismatch for '{name}': the model expects {ShapeText(target.shape)}, the file has {tensor.ShapeText}.");
            else if (!CanConvert(tensor.DType, target.dtype))
                problems.Add($"tensor '{name}' is stored as {tensor.DType}, which cannot be converted to the model's {target.dtype}.");
        }
        if (problems.Count > 0)
            throw new CheckpointException(path, problems, MismatchFix);
        return layout;
    }

    internal static bool IsSafetensorsPath(string path) =>
        string.Equals(Path.GetExtension(path), SafetensorsFormat.Extension, StringComparison.OrdinalIgnoreCase);

    private static bool CanConvert(ScalarType from, ScalarType to) =>
        IsFloating(to) ? IsFloating(from) || IsInteger(from) : IsInteger(to) && IsInteger(from);

    private static bool IsFloating(ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    private static bool IsInteger(ScalarType type) =>
        type is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;

    private static string ShapeText(long[] shape) => $"[{string.Join(", ", shape)}]";
}
