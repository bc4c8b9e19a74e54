using System.Text;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Saves and loads a zoo model's weights. Saving writes TorchSharp's own format (or F32
/// safetensors for a <c>.safetensors</c> path); loading accepts those, PyTorch's zip pickles
/// (<c>torch.save(model.state_dict(), path)</c>) and sharded checkpoints, recognised by content
/// (a <c>.pt</c> may be TorchSharp's format or PyTorch's). Loading checks every tensor's name and shape against the model before copying
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
    /// <param name="path">
    /// A checkpoint file (TorchSharp's format, safetensors, or a PyTorch zip pickle, told apart by content), the index
    /// of a sharded checkpoint, or a folder holding one of <see cref="CheckpointFolder.WeightNames"/>.
    /// </param>
    /// <returns>What was read: the format, the files, the key of a wrapping dict, a stripped prefix.</returns>
    /// <exception cref="CheckpointException">
    /// The file is missing, truncated or corrupt, or does not match the model: lists each missing
    /// tensor, each unexpected tensor and each shape mismatch.
    /// </exception>
    public static CheckpointContents Load(nn.Module model, string path)
    {
        var (layout, contents) = MatchedLayout(model, path);
        var targets = model.state_dict();
        using var scope = torch.NewDisposeScope(); // copy_ returns a handle of its own for each target
        using var noGrad = torch.no_grad();
        ReadEach(layout, (tensor, value) => targets[tensor.Name].copy_(value));
        return contents;
    }

    /// <summary>
    /// Every tensor of the checkpoint (any format <see cref="Load"/> reads), converted to <paramref name="dtype"/> when
    /// given, else as stored; the caller disposes them. For tools and benchmarks: a network loads with <see cref="Load"/>.
    /// </summary>
    /// <exception cref="CheckpointException">the file is missing, truncated, corrupt or not a checkpoint.</exception>
    public static Dictionary<string, Tensor> Read(string path, ScalarType? dtype = null)
    {
        var layout = ReadLayout(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            ReadEach(layout, (tensor, value) => tensors[tensor.Name] = dtype is ScalarType target && target != value.dtype ? value.to(target) : value.alias());
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>Reads each tensor of the layout, one file open at a time, and hands it to <paramref name="use"/>; it is disposed after.</summary>
    private static void ReadEach(Layout layout, Action<StoredTensor, Tensor> use)
    {
        foreach (var file in layout.Tensors.GroupBy(t => t.File))
        {
            if (file.First().Pickled is not null)
            {
                using var archive = PyTorchPickleFormat.Open(file.Key);
                foreach (var tensor in file)
                {
                    using var value = PyTorchPickleFormat.Read(file.Key, archive, tensor);
                    use(tensor, value);
                }
            }
            else
            {
                using var stream = File.OpenRead(file.Key);
                foreach (var tensor in file)
                {
                    using var value = tensor.ReadFrom(stream);
                    use(tensor, value);
                }
            }
        }
    }

    /// <summary>
    /// Checks, from the file's headers alone (no tensor data is read, so it is cheap), that the checkpoint
    /// would load into the model: what a sweep's planner checks for every checkpoint before any work.
    /// </summary>
    /// <exception cref="CheckpointException">as <see cref="Load"/>.</exception>
    public static CheckpointContents Check(nn.Module model, string path) => MatchedLayout(model, path).Contents;

    /// <summary>Checks, from the file's headers alone, that it is a checkpoint that can be read (whichever network it fits).</summary>
    /// <exception cref="CheckpointException">the file is missing, truncated, corrupt or not a checkpoint.</exception>
    public static void CheckReadable(string path) => ReadLayout(path);

    /// <summary>What the checkpoint holds, from its headers alone (no tensor data is read).</summary>
    /// <exception cref="CheckpointException">the file is missing, truncated, corrupt or not a checkpoint.</exception>
    public static CheckpointContents Inspect(string path) => Describe(ReadLayout(path), null);

    /// <summary>The tensors a checkpoint holds and where their bytes lie.</summary>
    private sealed record Layout(CheckpointFormat Format, string WeightsPath, IReadOnlyList<StoredTensor> Tensors, string? StateDictKey);

    private static Layout ReadLayout(string path)
    {
        var weights = CheckpointFolder.WeightsPath(path);
        if (!File.Exists(weights))
            throw new CheckpointException(path, "the file does not exist.", "Check the path (and the sweep's checkpoint folder or glob).");
        if (ShardedCheckpoint.IsIndexName(weights))
            return new Layout(CheckpointFormat.Sharded, weights, ShardedCheckpoint.ReadLayout(weights, shard => ReadFileLayout(shard).Tensors), null);
        return ReadFileLayout(weights);
    }

    /// <summary>One file's layout, its format told by content (a .pt may be TorchSharp's format or PyTorch's zip).</summary>
    private static Layout ReadFileLayout(string path)
    {
        if (PyTorchPickleFormat.IsZip(path))
        {
            var pickle = PyTorchPickleFormat.ReadLayout(path);
            return new Layout(CheckpointFormat.PyTorchPickle, path, pickle.Tensors, pickle.StateDictKey);
        }
        if (PyTorchPickleFormat.IsLegacy(path))
            throw PyTorchPickleFormat.LegacyRefused(path);
        var tensors = IsSafetensorsPath(path) || SafetensorsFormat.LooksLikeSafetensors(path)
            ? SafetensorsFormat.ReadLayout(path)
            : TorchSharpCheckpointFormat.ReadLayout(path);
        var format = IsSafetensorsPath(path) || SafetensorsFormat.LooksLikeSafetensors(path) ? CheckpointFormat.Safetensors : CheckpointFormat.TorchSharp;
        return new Layout(format, path, [.. tensors.Select(t => t with { File = path })], null);
    }

    private static CheckpointContents Describe(Layout layout, string? strippedPrefix) => new(
        layout.Format,
        layout.WeightsPath,
        layout.Format == CheckpointFormat.Sharded ? [layout.WeightsPath, .. layout.Tensors.Select(t => t.File).Distinct()] : [layout.WeightsPath],
        layout.Tensors.Count,
        layout.StateDictKey,
        strippedPrefix);

    /// <summary>
    /// The prefix a wrapper adds to every name (DistributedDataParallel's <c>module.</c>, torch.compile's
    /// <c>_orig_mod.</c>) when every stored name has it and the model's names do not: it is stripped.
    /// </summary>
    private static string? WrapperPrefix(IReadOnlyList<StoredTensor> stored, IEnumerable<string> targets) =>
        WrapperPrefixes.FirstOrDefault(prefix =>
            stored.Count > 0 && stored.All(t => t.Name.StartsWith(prefix, StringComparison.Ordinal))
            && !targets.All(name => name.StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>The prefixes <see cref="Load"/> strips when every stored name has one (and the model's names do not).</summary>
    public static readonly IReadOnlyList<string> WrapperPrefixes = ["module.", "_orig_mod."];

    private static (Layout Layout, CheckpointContents Contents) MatchedLayout(nn.Module model, string path)
    {
        var layout = ReadLayout(path);
        var targets = model.state_dict();
        var prefix = WrapperPrefix(layout.Tensors, targets.Keys);
        if (prefix is not null)
            layout = layout with { Tensors = [.. layout.Tensors.Select(t => t with { Name = t.Name[prefix.Length..] })] };

        var stored = layout.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, target) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
            if (!stored.ContainsKey(name))
                problems.Add($"missing tensor '{name}' (the model expects shape {ShapeText(target.shape)}).");
        foreach (var tensor in layout.Tensors.OrderBy(t => t.Name, StringComparer.Ordinal))
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
        {
            var read = new List<string>();
            if (layout.StateDictKey is not null) read.Add($"the state dict under key '{layout.StateDictKey}' of the saved dict");
            if (prefix is not null) read.Add($"with the prefix '{prefix}' stripped from every name");
            var fix = read.Count > 0 ? $"{MismatchFix} (Compared: {string.Join(", ", read)}.)" : MismatchFix;
            throw new CheckpointException(path, problems, fix);
        }
        return (layout, Describe(layout, prefix));
    }

    internal static bool IsSafetensorsPath(string path) =>
        string.Equals(Path.GetExtension(path), SafetensorsFormat.Extension, StringComparison.OrdinalIgnoreCase);

    private static bool CanConvert(ScalarType from, ScalarType to) =>
        IsFloating(to) ? IsFloating(from) || IsInteger(from) || from == ScalarType.Bool
        : IsInteger(to) ? IsInteger(from) || from == ScalarType.Bool
        : to == ScalarType.Bool && from == ScalarType.Bool;

    private static bool IsFloating(ScalarType type) =>
        type is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    private static bool IsInteger(ScalarType type) =>
        type is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;

    private static string ShapeText(long[] shape) => $"[{string.Join(", ", shape)}]";
}
