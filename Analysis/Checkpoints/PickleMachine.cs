using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// A restricted unpickler for the <c>data.pkl</c> of a PyTorch zip checkpoint. It builds plain values (dicts,
/// lists, tuples, strings, numbers) and, for tensors, a description of where their values lie (no tensor data is
/// read). Only the classes a state dict needs may be named (<see cref="Allowed"/>); any other class stops the
/// reading with its name, and nothing in the file is ever called: the file may come from anyone.
/// </summary>
internal sealed class PickleMachine
{
    /// <summary>A storage as <c>torch.save</c>'s persistent id names it: its dtype, its zip entry key, its element count.</summary>
    public sealed record Storage(ScalarType DType, string Key, long Elements);

    /// <summary>A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it.</summary>
    public sealed record TensorView(Storage Storage, long Offset, long[] Shape, long[] Strides);

    /// <summary>A pickled dict (plain or OrderedDict) in insertion order.</summary>
    public sealed class Dict : List<KeyValuePair<object?, object?>>;

    /// <summary>A class or function the file named and that is on the allow list; it is only ever matched by name.</summary>
    private sealed record Global(string Module, string Name)
    {
        public string FullName => $"{Module}.{Name}";
    }

    private sealed class Mark;

    private static readonly Dictionary<string, ScalarType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["DoubleStorage"] = ScalarType.Float64,
        ["FloatStorage"] = ScalarType.Float32,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    /// <summary>Every class or function a state dict (or a dict wrapping one, with an optimizer's state) pickles.</summary>
    public static readonly IReadOnlySet<string> Allowed = new HashSet<string>(
    [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch.Size",
        "torch.device",
        "_codecs.encode",
        .. StorageTypes.Keys.Select(k => "torch." + k),
    ], StringComparer.Ordinal);

    private const string UnsafeFix =
        "ProbeGrid unpickles only state dicts (tensors in dicts, lists and numbers) and never runs code from a checkpoint. " +
        "Save the weights alone: torch.save(model.state_dict(), path), or export them as safetensors.";

    private const string CorruptFix =
        "The checkpoint's data.pkl is corrupt or not a PyTorch pickle. Save it again with torch.save(model.state_dict(), path).";

    private readonly string path;
    private readonly byte[] bytes;
    private int position;
    private readonly List<object?> stack = [];
    private readonly Dictionary<long, object?> memo = [];

    private PickleMachine(string path, byte[] bytes)
    {
        this.path = path;
        this.bytes = bytes;
    }

    /// <summary>The object <paramref name="pickle"/> holds.</summary>
    /// <exception cref="CheckpointException">it names a class outside <see cref="Allowed"/>, uses an opcode not read here, or is corrupt.</exception>
    public static object? Load(string path, byte[] pickle) => new PickleMachine(path, pickle).Run();

    private object? Run()
    {
        while (true)
        {
            if (position >= bytes.Length)
                throw Corrupt("it ends before its STOP opcode: it is truncated.");
            var at = position;
            var opcode = bytes[position++];
            switch (opcode)
            {
                case 0x80: position++; break; // PROTO n
                case 0x95: Take(8); break; // FRAME: a length hint
                case (byte)'.': // STOP
                    if (stack.Count != 1 || stack[0] is Mark) throw Corrupt($"its STOP opcode at byte {at} leaves {stack.Count} values on the stack instead of one.");
                    return stack[0];
                case (byte)'(': stack.Add(new Mark()); break;
                case (byte)'0': Pop(); break;
                case (byte)'1': PopMark(); break;
                case (byte)'2': Push(Peek()); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': Push((long)Take(1)[0]); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: Push(Long(Take(Take(1)[0]), at)); break; // LONG1
                case 0x8b: Push(Long(Take(Length(4, at)), at)); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': Push(Text(Take(Length(4, at)), at)); break; // BINUNICODE
                case 0x8c: Push(Text(Take(Take(1)[0]), at)); break; // SHORT_BINUNICODE
                case 0x8d: Push(Text(Take(Length(8, at)), at)); break; // BINUNICODE8
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(Length(4, at)))); break; // BINSTRING
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(Take(1)[0]))); break; // SHORT_BINSTRING
                case (byte)'B': Push(Take(Length(4, at)).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(Take(1)[0]).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(Length(8, at)).ToArray()); break; // BINBYTES8
                case 0x96: Push(Take(Length(8, at)).ToArray()); break; // BYTEARRAY8
                case (byte)')': Push(Array.Empty<object?>()); break;
                case 0x85: Push(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; }
                case (byte)'t': Push(PopMark().ToArray()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)'l': Push(PopMark()); break;
                case (byte)'a': { var item = Pop(); ListAt(at).Add(item); break; }
                case (byte)'e': { var items = PopMark(); ListAt(at).AddRange(items); break; }
                case (byte)'}': Push(new Dict()); break;
                case (byte)'d': { var items = PopMark(); var dict = new Dict(); AddPairs(dict, items, at); Push(dict); break; }
                case (byte)'s': { var value = Pop(); var key = Pop(); DictAt(at).Add(new(key, value)); break; }
                case (byte)'u': { var items = PopMark(); AddPairs(DictAt(at), items, at); break; }
                case 0x8f: Push(new List<object?>()); break; // EMPTY_SET: read as a list
                case 0x90: { var items = PopMark(); ListAt(at).AddRange(items); break; } // ADDITEMS
                case 0x91: Push(PopMark()); break; // FROZENSET
                case (byte)'q': memo[Take(1)[0]] = Peek(); break; // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(Memo(Take(1)[0], at)); break; // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), at)); break; // LONG_BINGET
                case (byte)'c': // GLOBAL module\nname\n
                {
                    var module = Line(at);
                    var name = Line(at);
                    Push(Resolve(module, name));
                    break;
                }
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop() as string;
                    var module = Pop() as string;
                    if (module is null || name is null) throw Corrupt($"its STACK_GLOBAL at byte {at} does not follow a module and a name.");
                    Push(Resolve(module, name));
                    break;
                }
                case (byte)'Q': Push(PersistentLoad(Pop(), at)); break; // BINPERSID
                case (byte)'R': // REDUCE
                {
                    var args = Pop();
                    var callable = Pop();
                    Push(Call(callable, args, at));
                    break;
                }
                case 0x81: // NEWOBJ cls args: cls.__new__(cls, *args)
                {
                    var args = Pop();
                    var cls = Pop();
                    Push(Call(cls, args, at));
                    break;
                }
                case (byte)'b': // BUILD: state for an OrderedDict (its _metadata) or a tensor (hooks): not needed
                {
                    Pop();
                    if (Peek() is not (Dict or TensorView))
                        throw Corrupt($"its BUILD at byte {at} sets the state of something that is neither a dict nor a tensor.");
                    break;
                }
                default:
                    throw new CheckpointException(path,
                        $"its data.pkl uses pickle opcode 0x{opcode:x2} at byte {at}, which ProbeGrid does not read (state dicts saved by torch.save use none of them).",
                        "Save the weights alone with torch.save(model.state_dict(), path) and PyTorch's default pickle protocol, or export them as safetensors.");
            }
        }
    }

    private object Resolve(string module, string name)
    {
        var full = $"{module}.{name}";
        if (!Allowed.Contains(full))
        {
            var shown = TensorName.IsParameterPath(full) ? $"'{full}'" : "a class whose name is not a dotted identifier (not shown)";
            throw new CheckpointException(path,
                $"it holds an object of class {shown}, which ProbeGrid does not unpickle: only a state dict's classes are read, and nothing in a checkpoint is ever run.",
                UnsafeFix);
        }
        return new Global(module, name);
    }

    /// <summary>What an allowed callable returns, computed here without calling anything the file names.</summary>
    private object? Call(object? callable, object? args, int at)
    {
        if (callable is not Global global)
            throw Corrupt($"its REDUCE at byte {at} calls something that is not a class or function.");
        if (args is not object?[] a)
            throw Corrupt($"its REDUCE at byte {at} passes arguments that are not a tuple.");
        switch (global.FullName)
        {
            case "collections.OrderedDict":
                var dict = new Dict();
                if (a.Length == 1 && a[0] is List<object?> pairs) // OrderedDict([(k, v), ...])
                    foreach (var pair in pairs)
                        dict.Add(pair is object?[] { Length: 2 } kv ? new(kv[0], kv[1]) : throw Corrupt($"the OrderedDict at byte {at} is built from something that is not (key, value) pairs."));
                return dict;
            case "torch._utils._rebuild_tensor":
            case "torch._utils._rebuild_tensor_v2":
                if (a.Length < 4 || a[0] is not Storage storage || a[1] is not long offset || Sizes(a[2]) is not long[] shape || Sizes(a[3]) is not long[] strides || shape.Length != strides.Length)
                    throw Corrupt($"the tensor built at byte {at} lacks a storage, an offset, a size and a stride of the same rank.");
                return new TensorView(storage, offset, shape, strides);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                return a.Length >= 1 && a[0] is TensorView tensor ? tensor : throw Corrupt($"the parameter built at byte {at} holds no tensor.");
            case "torch.Size":
                return a.Length == 0 ? Array.Empty<object?>() : a[0];
            case "torch.device":
                return a.Length >= 1 && a[0] is string device ? device : throw Corrupt($"the device at byte {at} has no name.");
            case "_codecs.encode":
                return a.Length >= 1 && a[0] is string text ? Encoding.Latin1.GetBytes(text) : throw Corrupt($"the bytes at byte {at} are not encoded from text.");
            default:
                throw Corrupt($"its REDUCE at byte {at} calls {global.FullName}, which is a storage class, not a function.");
        }
    }

    /// <summary><c>('storage', torch.FloatStorage, '0', 'cpu', 6)</c>: the storage's dtype, zip key and element count.</summary>
    private Storage PersistentLoad(object? pid, int at)
    {
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not Global type || t[2] is not string key || t[4] is not long elements || elements < 0)
            throw Corrupt($"its persistent id at byte {at} is not a storage reference ('storage', type, key, location, size).");
        if (type.Module != "torch" || !StorageTypes.TryGetValue(type.Name, out var dtype))
            throw Corrupt($"its persistent id at byte {at} names a storage type that is not one of torch's typed storages.");
        return new Storage(dtype, key, elements);
    }

    private static long[]? Sizes(object? value) =>
        value is object?[] items && items.All(i => i is long) ? [.. items.Cast<long>()] : null;

    private void AddPairs(Dict dict, List<object?> items, int at)
    {
        if (items.Count % 2 != 0) throw Corrupt($"the dict items at byte {at} are not key-value pairs.");
        for (var i = 0; i < items.Count; i += 2)
            dict.Add(new(items[i], items[i + 1]));
    }

    private List<object?> ListAt(int at) => Peek() as List<object?> ?? throw Corrupt($"its append at byte {at} adds to something that is not a list.");

    private Dict DictAt(int at) => Peek() as Dict ?? throw Corrupt($"its set-item at byte {at} adds to something that is not a dict.");

    private object? Memo(long key, int at) => memo.TryGetValue(key, out var value) ? value : throw Corrupt($"byte {at} recalls memo entry {key}, which was never stored.");

    private object Long(ReadOnlySpan<byte> data, int at)
    {
        if (data.Length == 0) return 0L;
        if (data.Length > 8) throw Corrupt($"the integer at byte {at} has {data.Length} bytes, more than the 8 a size or step needs.");
        Span<byte> padded = stackalloc byte[8];
        var negative = (data[^1] & 0x80) != 0;
        padded.Fill(negative ? (byte)0xff : (byte)0);
        data.CopyTo(padded);
        return BinaryPrimitives.ReadInt64LittleEndian(padded);
    }

    private string Text(ReadOnlySpan<byte> data, int at)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt($"the text at byte {at} is not valid UTF-8.");
        }
    }

    private string Line(int at)
    {
        var end = Array.IndexOf(bytes, (byte)'\n', position);
        if (end < 0 || end - position > 256) throw Corrupt($"its GLOBAL at byte {at} does not hold a module and a name on lines of their own.");
        var line = Encoding.ASCII.GetString(bytes, position, end - position);
        position = end + 1;
        return line;
    }

    private long Length(int width, int at)
    {
        var raw = Take(width);
        var length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(raw) : (long)BinaryPrimitives.ReadUInt64LittleEndian(raw);
        if (length < 0 || length > bytes.Length - position) throw Corrupt($"the value at byte {at} claims {length} bytes, more than the pickle has left: it is truncated.");
        return length;
    }

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count > bytes.Length - position) throw Corrupt($"it ends at byte {bytes.Length}, inside a value: it is truncated.");
        var span = bytes.AsSpan(position, (int)count);
        position += (int)count;
        return span;
    }

    private void Push(object? value) => stack.Add(value);

    private object? Peek() => stack.Count > 0 && stack[^1] is not Mark ? stack[^1] : throw Corrupt($"byte {position - 1} reads a value from an empty stack.");

    private object? Pop()
    {
        var value = Peek();
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        var mark = stack.FindLastIndex(v => v is Mark);
        if (mark < 0) throw Corrupt($"byte {position - 1} closes a group that was never opened.");
        var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private CheckpointException Corrupt(string problem) => new(path, $"its data.pkl cannot be read: {problem}", CorruptFix);
}
