using System.Text;

namespace SpectralGate.Tests.Support;

/// <summary>Writes pickle opcodes one by one (protocol 2, as torch.save does), for good and hostile test pickles.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [0x80, 0x02];
    private uint _memo;

    public PickleBuilder Op(char opcode) { _bytes.Add((byte)opcode); return this; }

    public PickleBuilder Raw(params byte[] bytes) { _bytes.AddRange(bytes); return this; }

    public PickleBuilder Global(string module, string name) => Op('c').Raw(Encoding.UTF8.GetBytes($"{module}\n{name}\n")).Put();

    public PickleBuilder Str(string s)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(s);
        return Op('X').Raw(BitConverter.GetBytes((uint)utf8.Length)).Raw(utf8).Put();
    }

    public PickleBuilder Int(long v) => v is >= int.MinValue and <= int.MaxValue
        ? Op('J').Raw(BitConverter.GetBytes((int)v))
        : Raw(0x8a, 8).Raw(BitConverter.GetBytes(v));

    public PickleBuilder Ints(IEnumerable<long> values)
    {
        Op('(');
        foreach (long v in values) Int(v);
        return Op('t').Put();
    }

    /// <summary>BINPUT / LONG_BINPUT of the top of the stack at the next memo index, as pickle's Pickler does.</summary>
    public PickleBuilder Put()
    {
        if (_memo < 256) Raw((byte)'q', (byte)_memo);
        else Op('r').Raw(BitConverter.GetBytes(_memo));
        _memo++;
        return this;
    }

    public byte[] Stop() => [.. _bytes, (byte)'.'];
}
