using System.Buffers.Binary;
using System.Text;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Sources.PyTorch;

/// <summary>
/// A pickle reader that executes nothing. It knows the opcodes of protocols 2 to 5 that <c>torch.save</c> writes for
/// a state dict and the few globals a state dict needs (<see cref="AllowedCalls"/> and the <c>torch.*Storage</c>
/// classes). Calls are not made: <c>REDUCE</c> of an allowed global builds a plain record of what it would build.
/// Any other global, and every opcode that could call or construct something else, is refused with an error saying
/// the file asks to run code. Memo, stack and strings are bounded by the pickle's own length.
/// </summary>
internal sealed class RestrictedUnpickler
{
    /// <summary>The callables a state dict's pickle invokes with <c>REDUCE</c>.</summary>
    public static readonly IReadOnlySet<string> AllowedCalls = new HashSet<string>(StringComparer.Ordinal)
    {
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "collections.OrderedDict",
    };

    private static readonly object Mark = new();

    private readonly string _path;
    private readonly byte[] _data;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<uint, object?> _memo = [];
    private int _pos;

    private RestrictedUnpickler(string path, byte[] data)
    {
        _path = path;
        _data = data;
    }

    /// <summary>The object the pickle describes (dicts, lists, tuples, strings, numbers, <see cref="TorchTensor"/>s).</summary>
    public static object? Load(string path, byte[] pickle) => new RestrictedUnpickler(path, pickle).Run();

    private ModelFormatException Error(string problem) => new(_path, null, $"pickle (data.pkl) at byte {_pos}: {problem}");

    private ModelFormatException RunsCode(string what) => new(_path, null,
        $"asks to run code: its pickle {what}, which a state dict never needs. SpectralGate executes nothing from a checkpoint; " +
        "it reads state dicts saved with torch.save(model.state_dict(), ...) (tensors in plain or ordered dicts) and nothing else.");

    private object? Run()
    {
        while (true)
        {
            byte op = Byte();
            switch (op)
            {
                case 0x80: if (Byte() > 5) throw Error("pickle protocol above 5."); break; // PROTO
                case 0x95: Bytes(8); break; // FRAME: a length hint
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0) throw Error("STOP with an unbalanced stack.");
                    return _stack[0];
                case (byte)'(': _marks.Add(_stack.Count); _stack.Add(Mark); break; // MARK
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'K': Push((long)Byte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break; // BININT
                case 0x8a: Push(Long1()); break; // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break; // BINFLOAT
                case (byte)'X': Push(Utf8(Bytes(Length32()))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Bytes(Byte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Bytes(Length64()))); break; // BINUNICODE8
                case (byte)'U': Push(Latin1(Bytes(Byte()))); break; // SHORT_BINSTRING
                case (byte)'T': Push(Latin1(Bytes(Length32()))); break; // BINSTRING
                case (byte)'C': Push(Bytes(Byte()).ToArray()); break; // SHORT_BINBYTES
                case (byte)'B': Push(Bytes(Length32()).ToArray()); break; // BINBYTES
                case (byte)'q': _memo[Byte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[(uint)_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(Memo(Byte())); break; // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))); break; // LONG_BINGET
                case (byte)'c': Push(Global(Line(), Line())); break; // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); if (module is not string m || name is not string n) throw Error("STACK_GLOBAL of non-strings."); Push(Global(m, n)); break; }
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Reduce(callable, args)); break; } // REDUCE
                case (byte)'Q': Push(PersistentLoad(Pop())); break; // BINPERSID
                case (byte)'s': { var v = Pop(); var k = Pop(); DictOf(Peek()).Items.Add(new(k, v)); break; } // SETITEM
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    if (items.Count % 2 != 0) throw Error("SETITEMS with an odd number of items.");
                    var dict = DictOf(Peek());
                    for (int i = 0; i < items.Count; i += 2) dict.Items.Add(new(items[i], items[i + 1]));
                    break;
                }
                case (byte)'a': { var v = Pop(); ListOf(Peek()).Add(v); break; } // APPEND
                case (byte)'e': { var items = PopMark(); ListOf(Peek()).AddRange(items); break; } // APPENDS
                case (byte)'b': // BUILD: OrderedDict's instance dict (a state dict's _metadata); nothing else is built
                {
                    Pop();
                    if (Peek() is not PickleDict) throw RunsCode("sets the state of an object with BUILD");
                    break;
                }
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP
                case (byte)'i': throw RunsCode("constructs an object with INST");
                case (byte)'o': throw RunsCode("constructs an object with OBJ");
                case 0x81: throw RunsCode("constructs an object with NEWOBJ");
                case 0x92: throw RunsCode("constructs an object with NEWOBJ_EX");
                case 0x82 or 0x83 or 0x84: throw RunsCode("imports a global from the extension registry (EXT)");
                case (byte)'P': throw RunsCode("loads a persistent object by text id (PERSID)");
                default: throw Error($"opcode 0x{op:x2} is not one torch.save writes for a state dict.");
            }
        }
    }

    private PickleGlobal Global(string module, string name)
    {
        string full = $"{module}.{name}";
        if (AllowedCalls.Contains(full) || TorchStorageType.Find(module, name) is not null) return new PickleGlobal(module, name);
        throw RunsCode($"imports '{full}'");
    }

    private object? Reduce(object? callable, object? args)
    {
        if (callable is not PickleGlobal g || !AllowedCalls.Contains(g.FullName))
            throw RunsCode($"calls {(callable is PickleGlobal other ? $"'{other.FullName}'" : "a non-global")} with REDUCE");
        if (args is not object?[] a) throw Error($"REDUCE of '{g.FullName}' without an argument tuple.");
        switch (g.FullName)
        {
            case "collections.OrderedDict":
                if (a.Length != 0) throw Error("OrderedDict called with arguments.");
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2":
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.Length is < 6 or > 7 || a[0] is not TorchStorage storage || a[1] is not long offset)
                    throw Error("_rebuild_tensor_v2 with arguments other than (storage, offset, size, stride, requires_grad, hooks).");
                return new TorchTensor(storage, offset, Longs(a[2], "size"), Longs(a[3], "stride"));
            default: // _rebuild_parameter(data, requires_grad, hooks[, state]): the parameter is its data
                if (a.Length is < 3 or > 4 || a[0] is not TorchTensor tensor) throw Error($"{g.Name} of something other than a tensor.");
                return tensor;
        }
    }

    private TorchStorage PersistentLoad(object? pid)
    {
        // ('storage', torch.FloatStorage, key, location, numel): torch/serialization.py, _save's persistent_id.
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PickleGlobal g
            || TorchStorageType.Find(g.Module, g.Name) is not { } type || t[2] is not string key || t[4] is not long numel || numel < 0)
            throw Error("persistent id is not ('storage', torch.<Type>Storage, key, location, numel).");
        return new TorchStorage(key, type, numel);
    }

    private long[] Longs(object? value, string what)
    {
        if (value is not object?[] items || items.Length > 64 || items.Any(i => i is not long))
            throw Error($"tensor {what} is not a tuple of integers.");
        return items.Select(i => (long)i!).ToArray();
    }

    private object? Memo(uint index) => _memo.TryGetValue(index, out var v) ? v : throw Error($"memo index {index} was never stored.");

    private PickleDict DictOf(object? o) => o as PickleDict ?? throw Error("SETITEM on something that is not a dict.");

    private List<object?> ListOf(object? o) => o as List<object?> ?? throw Error("APPEND on something that is not a list.");

    private void Push(object? o) => _stack.Add(o);

    private object? Peek()
    {
        if (_stack.Count == 0 || ReferenceEquals(_stack[^1], Mark)) throw Error("stack underflow.");
        return _stack[^1];
    }

    private object? Pop()
    {
        object? o = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Error("no MARK to pop to.");
        int at = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(at + 1, _stack.Count - at - 1);
        _stack.RemoveRange(at, _stack.Count - at);
        return items;
    }

    private byte Byte() => _pos < _data.Length ? _data[_pos++] : throw Error("truncated (no STOP).");

    private ReadOnlySpan<byte> Bytes(long n)
    {
        if (n < 0 || n > _data.Length - _pos) throw Error($"{n} bytes asked, {_data.Length - _pos} left (truncated).");
        var span = _data.AsSpan(_pos, (int)n);
        _pos += (int)n;
        return span;
    }

    private long Length32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    private long Length64()
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));
        return n > int.MaxValue ? -1 : (long)n;
    }

    private long Long1()
    {
        int n = Byte();
        if (n > 8) throw Error($"integer of {n} bytes.");
        ReadOnlySpan<byte> b = Bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
        if (n is > 0 and < 8 && (b[n - 1] & 0x80) != 0) v -= 1L << (8 * n); // two's complement of n bytes
        return v;
    }

    private string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Error("GLOBAL name without a newline (truncated).");
        string s = Utf8(_data.AsSpan(_pos, end - _pos));
        _pos = end + 1;
        return s;
    }

    private string Utf8(ReadOnlySpan<byte> bytes)
    {
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw Error("string is not valid UTF-8."); }
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
