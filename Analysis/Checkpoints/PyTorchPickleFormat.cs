using System.IO.Compression;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// PyTorch's <c>torch.save</c> zip format (the default since PyTorch 1.6; <c>.pt</c>, <c>.pth</c>, <c>.bin</c>):
/// a zip whose <c>archive/data.pkl</c> pickles the saved object, each tensor's storage being a separate entry
/// <c>archive/data/KEY</c>. The layout (names, dtypes, shapes) comes from data.pkl alone, read by the restricted
/// <see cref="PickleMachine"/>; tensor bytes are read only when loading. The state dict may be the saved object
/// itself or a value of a dict wrapping it (<c>{"model": sd, "optimizer": ..., "step": 100}</c>).
/// </summary>
internal static class PyTorchPickleFormat
{
    /// <summary>The keys a training script stores its model's state dict under, most specific first.</summary>
    public static readonly IReadOnlyList<string> StateDictKeys = ["state_dict", "model_state_dict", "model", "module", "net", "network", "weights"];

    private const long MaxPickleBytes = 256L << 20; // names and shapes: a few MB for the largest models

    private const string DamagedFix =
        "The file is truncated or corrupt (an interrupted download, copy or save?). Copy it again from its source, or save it again with torch.save(model.state_dict(), path).";

    private static readonly byte[] ZipMagic = [0x50, 0x4b, 0x03, 0x04];

    /// <summary>The start of a pre-1.6 <c>torch.save</c> file: protocol 2, then the legacy magic number as a LONG1.</summary>
    private static readonly byte[] LegacyMagic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>The tensors of the state dict, and the key of the wrapping dict it was found under (null: the saved object itself).</summary>
    public sealed record Contents(IReadOnlyList<StoredTensor> Tensors, string? StateDictKey);

    /// <summary>True when the file starts like a zip archive (as torch.save writes it), whatever its extension.</summary>
    public static bool IsZip(string path) => StartsWith(path, ZipMagic);

    /// <summary>True when the file starts like a pre-1.6 torch.save file (a bare pickle stream).</summary>
    public static bool IsLegacy(string path) => StartsWith(path, LegacyMagic);

    /// <summary>The legacy format is refused: reading it would need its storages' layout inside the pickle stream.</summary>
    public static CheckpointException LegacyRefused(string path) => new(path,
        "it was saved in PyTorch's legacy (pre-1.6, non-zip) format, which ProbeGrid does not read.",
        "Re-save it in the zip format with PyTorch: torch.save(torch.load(path, map_location='cpu'), new_path) (the default since PyTorch 1.6), or export it as safetensors.");

    /// <summary>Reads data.pkl (no tensor data) and checks that every storage it names is in the zip, whole.</summary>
    /// <exception cref="CheckpointException">the zip or data.pkl is damaged, names a class outside the allow list, or holds no state dict.</exception>
    public static Contents ReadLayout(string path)
    {
        using var archive = Open(path);
        var pickleEntry = FindPickle(path, archive);
        var prefix = pickleEntry.FullName[..^"data.pkl".Length];
        var root = PickleMachine.Load(path, ReadAll(path, pickleEntry));
        var (stateDict, key) = FindStateDict(path, root);

        var problems = new List<string>();
        var tensors = new List<StoredTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (name, value) in stateDict)
        {
            var view = (PickleMachine.TensorView)value!;
            if (name is not string text)
            {
                problems.Add($"the state dict's entry #{index + 1} has a key that is not text.");
                index++;
                continue;
            }
            var described = "tensor " + TensorName.Describe(text, index);
            if (!names.Add(text))
                problems.Add($"{described} appears twice in the state dict.");
            else if (Check(archive, prefix, view, described, problems) is PickledStorage storage)
                tensors.Add(new StoredTensor(text, view.Storage.DType, view.Shape, 0,
                    StoredTensor.ByteCount(view.Shape, StoredTensor.ElementSize(view.Storage.DType)!.Value) ?? 0)
                { Index = index, File = path, Pickled = storage });
            index++;
        }
        if (problems.Count > 0)
            throw new CheckpointException(path, problems, DamagedFix);
        return new Contents(tensors, key);
    }

    /// <summary>Opens the zip for reading tensors; dispose it when done.</summary>
    public static ZipArchive Open(string path)
    {
        var stream = File.OpenRead(path);
        var length = stream.Length;
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new CheckpointException(path,
                $"it starts as a zip archive (a PyTorch checkpoint) but its end, where a zip lists its entries, is missing or damaged ({length} bytes): it is truncated or corrupt.",
                DamagedFix, e);
        }
    }

    /// <summary>A tensor's values, in its stored dtype, from its storage's zip entry.</summary>
    public static Tensor Read(string path, ZipArchive archive, StoredTensor tensor)
    {
        var pickled = tensor.Pickled ?? throw new ArgumentException("not a tensor of a pickle", nameof(tensor));
        var entry = archive.GetEntry(pickled.Entry)!;
        try
        {
            // Torch stores entries uncompressed, and .NET checks no checksum of those: check it here.
            using var stream = new ChecksummedStream(entry.Open(), entry.Crc32, entry.Length);
            if (pickled.IsWholeContiguous(tensor.Shape))
            {
                var whole = empty(tensor.Shape, dtype: tensor.DType);
                whole.ReadBytesFromStream(stream, StoredTensor.BufferFor(entry.Length));
                stream.Verify();
                return whole;
            }
            // A view into a storage (shared by several tensors, or strided): read the storage, copy the view out.
            using var storage = empty([pickled.Elements], dtype: tensor.DType);
            storage.ReadBytesFromStream(stream, StoredTensor.BufferFor(entry.Length));
            stream.Verify();
            using var view = storage.as_strided(tensor.Shape, pickled.Strides, pickled.Offset);
            return view.clone();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new CheckpointException(path, $"the data of tensor {TensorName.Describe(tensor.Name, tensor.Index)} (zip entry #{tensor.Index + 1}) is damaged (its checksum or length is wrong).", DamagedFix, e);
        }
    }

    private static ZipArchiveEntry FindPickle(string path, ZipArchive archive)
    {
        var pickles = archive.Entries.Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        return pickles.Count switch
        {
            1 => pickles[0],
            0 => throw new CheckpointException(path, "it is a zip archive without a data.pkl entry: not a checkpoint written by torch.save (a TorchScript archive, or another zip?).",
                "Point the sweep at state dicts saved with torch.save(model.state_dict(), path), or at safetensors files."),
            _ => throw new CheckpointException(path, $"it is a zip archive with {pickles.Count} data.pkl entries, where torch.save writes one: it is corrupt.", DamagedFix),
        };
    }

    private static byte[] ReadAll(string path, ZipArchiveEntry entry)
    {
        if (entry.Length > MaxPickleBytes)
            throw new CheckpointException(path, $"its data.pkl has {entry.Length} bytes, more than the {MaxPickleBytes} a state dict's names and shapes need: it is corrupt.", DamagedFix);
        try
        {
            using var stream = new ChecksummedStream(entry.Open(), entry.Crc32, entry.Length);
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            stream.Verify();
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new CheckpointException(path, "its data.pkl entry is damaged (its checksum or length is wrong).", DamagedFix, e);
        }
    }

    /// <summary>The state dict: the saved dict when it maps names to tensors, else the one value of a wrapping dict that does.</summary>
    private static (PickleMachine.Dict StateDict, string? Key) FindStateDict(string path, object? root)
    {
        const string fix = "Save the state dict itself (torch.save(model.state_dict(), path)), or a dict holding it under 'state_dict' or 'model'.";
        if (root is not PickleMachine.Dict dict)
            throw new CheckpointException(path, $"it holds {Describe(root)}, not a state dict (a dict of tensors).", fix);
        if (IsStateDict(dict))
            return (dict, null);
        var candidates = dict.Where(e => e.Key is string && e.Value is PickleMachine.Dict d && IsStateDict(d))
            .Select(e => ((string)e.Key!, (PickleMachine.Dict)e.Value!)).ToList();
        foreach (var key in StateDictKeys)
            if (candidates.FirstOrDefault(c => c.Item1 == key) is { Item2: not null } preferred)
                return (preferred.Item2, preferred.Item1);
        if (candidates.Count == 1)
            return (candidates[0].Item2, candidates[0].Item1);
        var keys = string.Join(", ", dict.Select(e => e.Key is string k && TensorName.IsParameterPath(k) ? $"'{k}'" : "(a key not shown)").Take(20));
        if (candidates.Count == 0)
            throw new CheckpointException(path,
                dict.Count == 0 ? "it holds an empty dict, not a state dict." : $"it holds a dict ({keys}) that is not a state dict and holds none under one of its keys.", fix);
        throw new CheckpointException(path,
            $"it holds {candidates.Count} state dicts (under {string.Join(", ", candidates.Select(c => TensorName.IsParameterPath(c.Item1) ? $"'{c.Item1}'" : "a key not shown"))}) and none under {string.Join(", ", StateDictKeys.Select(k => $"'{k}'"))}: which one is the model's is not clear.",
            "Save the one to analyse on its own: torch.save(checkpoint['KEY'], path).");
    }

    private static bool IsStateDict(PickleMachine.Dict dict) => dict.Count > 0 && dict.All(e => e.Value is PickleMachine.TensorView);

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleMachine.TensorView => "a single tensor",
        List<object?> => "a list",
        object?[] => "a tuple",
        string => "a string",
        _ => "a number",
    };

    /// <summary>The storage's zip entry exists with the bytes its size needs, and the view lies inside it.</summary>
    private static PickledStorage? Check(ZipArchive archive, string prefix, PickleMachine.TensorView view, string described, List<string> problems)
    {
        var storage = view.Storage;
        var entryName = $"{prefix}data/{storage.Key}";
        var entry = TensorName.IsParameterPath(storage.Key) ? archive.GetEntry(entryName) : null;
        if (entry is null)
        {
            problems.Add($"{described}: its storage's zip entry is missing.");
            return null;
        }
        var bytes = StoredTensor.ByteCount([storage.Elements], StoredTensor.ElementSize(storage.DType)!.Value);
        if (bytes != entry.Length)
        {
            problems.Add($"{described}: its storage's zip entry has {entry.Length} bytes where {storage.Elements} elements of {storage.DType} need {bytes}: the file is truncated or corrupt.");
            return null;
        }
        if (view.Offset < 0 || view.Strides.Any(s => s < 0) || view.Shape.Any(d => d < 0))
        {
            problems.Add($"{described}: its offset, sizes or strides are negative.");
            return null;
        }
        if (view.Shape.All(d => d > 0))
        {
            long last;
            try
            {
                last = checked(view.Offset + view.Shape.Select((d, i) => (d - 1) * view.Strides[i]).Sum());
            }
            catch (OverflowException)
            {
                last = long.MaxValue;
            }
            if (last >= storage.Elements)
            {
                problems.Add($"{described}: its sizes and strides reach past the end of its storage ({storage.Elements} elements).");
                return null;
            }
        }
        return new PickledStorage(entryName, storage.Elements, view.Offset, view.Strides);
    }

    private static bool StartsWith(string path, byte[] magic)
    {
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[magic.Length];
        return stream.ReadAtLeast(start, magic.Length, throwOnEndOfStream: false) == magic.Length && start.SequenceEqual(magic);
    }
}
