using System.Text.Json;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// A checkpoint split into shards, as Hugging Face writes large models: an index file
/// (<c>model.safetensors.index.json</c>, <c>pytorch_model.bin.index.json</c>) holding
/// <c>{"metadata": {...}, "weight_map": {tensor name: shard file}}</c>, with the shards beside it. Every shard
/// must lie in the index's folder (a name, never a path; never a link that leads out of the folder), exist, and
/// hold exactly the tensors the map gives it.
/// </summary>
public static class ShardedCheckpoint
{
    /// <summary>How an index file's name ends.</summary>
    public const string IndexSuffix = ".index.json";

    private const long MaxIndexBytes = 64L * 1024 * 1024;

    private const string IndexFix =
        "Restore the index file as the tool that sharded the checkpoint wrote it (e.g. save_pretrained): a JSON object whose \"weight_map\" maps each tensor name to a shard file beside it.";

    /// <summary>True for a file name such as <c>model.safetensors.index.json</c>.</summary>
    public static bool IsIndexName(string path) => Path.GetFileName(path).EndsWith(IndexSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The shard files the index names (full paths, each once, in the order first named), after checking the index is well formed.</summary>
    /// <exception cref="CheckpointException">the index is not valid JSON, lacks a weight_map, or names a shard outside its folder.</exception>
    public static IReadOnlyList<string> Shards(string indexPath) => [.. ReadMap(indexPath).Select(e => e.Value).Distinct(StringComparer.Ordinal)];

    /// <summary>The tensors of every shard, each with its shard as <see cref="StoredTensor.File"/>, checked against the map.</summary>
    internal static IReadOnlyList<StoredTensor> ReadLayout(string indexPath, Func<string, IReadOnlyList<StoredTensor>> readShard)
    {
        var map = ReadMap(indexPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var problems = new List<string>();
        var fixes = new List<string>();
        var held = new List<StoredTensor>(); // every tensor of every readable shard, File set to its shard
        var readable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var shard in map.Values.Distinct(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(shard);
            if (!File.Exists(shard))
            {
                problems.Add($"shard '{file}' (which the index maps {map.Values.Count(v => v == shard)} tensors to) does not exist.");
                AddOnce(fixes, "Restore the missing shards beside the index (an interrupted download or copy?).");
                continue;
            }
            if (LeadsOutside(shard, folder) is string target)
            {
                problems.Add($"shard '{file}' is a symbolic link to {target}, outside the checkpoint's folder.");
                AddOnce(fixes, "Replace links that lead out of the checkpoint's folder with the shard files themselves.");
                continue;
            }
            try
            {
                held.AddRange(readShard(shard).Select(t => t with { File = shard }));
                readable.Add(shard);
            }
            catch (CheckpointException e)
            {
                problems.AddRange(e.Problems.Select(p => $"shard '{file}': {p}"));
                AddOnce(fixes, e.Fix);
            }
        }

        var tensors = new List<StoredTensor>();
        foreach (var copies in held.GroupBy(t => t.Name, StringComparer.Ordinal))
        {
            var tensor = copies.First();
            var described = TensorName.Describe(tensor.Name, tensor.Index);
            if (copies.Count() > 1)
            {
                problems.Add($"tensor {described} is in {copies.Count()} shards, {string.Join(" and ", copies.Select(c => $"'{Path.GetFileName(c.File)}'"))}.");
                AddOnce(fixes, "Keep each tensor in one shard only, the one the index's weight_map names (re-shard with save_pretrained).");
            }
            else if (!map.TryGetValue(tensor.Name, out var mapped))
            {
                problems.Add($"shard '{Path.GetFileName(tensor.File)}' holds tensor {described}, which the index does not list.");
                AddOnce(fixes, "Write the index again from the shards (or drop the stray tensor): every tensor must be listed in weight_map.");
            }
            else if (mapped != tensor.File)
            {
                problems.Add($"shard '{Path.GetFileName(tensor.File)}' holds tensor {described}, which the index maps to '{Path.GetFileName(mapped)}'.");
                AddOnce(fixes, "Write the index again from the shards: weight_map must name the shard that holds each tensor.");
            }
            else
                tensors.Add(tensor);
        }
        var heldNames = held.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, shard) in map.Where(e => readable.Contains(e.Value) && !heldNames.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            problems.Add($"the index maps tensor {(TensorName.IsParameterPath(name) ? $"'{name}'" : "(a name not shown)")} to shard '{Path.GetFileName(shard)}', which does not hold it.");
            AddOnce(fixes, "Restore the shard as it was written, or write the index again from the shards.");
        }
        if (problems.Count > 0)
            throw new CheckpointException(indexPath, problems, string.Join(" ", fixes));
        return tensors;
    }

    /// <summary>The weight map with each shard as a full path in the index's folder; every problem with the index at once.</summary>
    private static Dictionary<string, string> ReadMap(string indexPath)
    {
        if (!File.Exists(indexPath))
            throw new CheckpointException(indexPath, "the index file does not exist.", "Check the path (a sharded checkpoint is its index file or the folder holding it).");
        var length = new FileInfo(indexPath).Length;
        if (length > MaxIndexBytes)
            throw new CheckpointException(indexPath, $"the index file has {length} bytes, more than the {MaxIndexBytes} a weight map needs: it is not an index.", IndexFix);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException e)
        {
            throw new CheckpointException(indexPath, $"the index is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line): it is truncated or corrupt.", IndexFix);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var weightMap) || weightMap.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(indexPath, "the index has no \"weight_map\" object (tensor name → shard file).", IndexFix);
            var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
            var problems = new List<string>();
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            var outside = new Dictionary<string, List<string>>(StringComparer.Ordinal); // shard -> tensors sent there
            foreach (var entry in weightMap.EnumerateObject())
            {
                var described = TensorName.Describe(entry.Name, index++);
                if (entry.Value.ValueKind != JsonValueKind.String || entry.Value.GetString() is not { Length: > 0 } shard)
                    problems.Add($"the weight_map entry of tensor {described} is not a shard file name.");
                else if (!IsBareName(shard))
                    (outside.TryGetValue(shard, out var sent) ? sent : outside[shard] = []).Add(described);
                else if (!map.TryAdd(entry.Name, Path.Combine(folder, shard)))
                    problems.Add($"the weight_map lists tensor {described} twice.");
            }
            // One line per such shard (its name is shown only when plainly a file name: the index may be anyone's file).
            foreach (var (shard, sent) in outside)
                problems.Add($"the weight_map sends {sent.Count} tensors (the first {sent[0]}) to a shard that is a path, not a file beside the index: shards must lie in the checkpoint's folder.");
            if (map.Count == 0 && problems.Count == 0)
                problems.Add("the index's weight_map is empty.");
            if (problems.Count > 0)
                throw new CheckpointException(indexPath, problems, IndexFix + " Shard names are plain file names (no folders, no '..').");
            return map;
        }
    }

    private static bool IsBareName(string name) =>
        name is not ("." or "..") && name.IndexOfAny(['/', '\\', '\0']) < 0 && !Path.IsPathRooted(name);

    /// <summary>Where a shard that is a symbolic link leads, when that is outside <paramref name="folder"/>; else null.</summary>
    private static string? LeadsOutside(string shard, string folder)
    {
        var info = new FileInfo(shard);
        if (info.LinkTarget is null) return null;
        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        return target is not null && Path.GetDirectoryName(target) == folder ? null : target ?? info.LinkTarget;
    }

    private static void AddOnce(List<string> fixes, string fix)
    {
        if (!fixes.Contains(fix)) fixes.Add(fix);
    }
}
