namespace SpectralGate.Engine.Sources;

/// <summary>What a model file's first bytes say it is, for files whose extension does not (<c>.bin</c>, <c>.pt</c>, <c>.pth</c>, <c>.dat</c>).</summary>
public enum CheckpointKind
{
    /// <summary>No known magic: a TorchSharp <c>Module.save</c> file has none.</summary>
    Unknown,

    /// <summary><c>GGUF</c>.</summary>
    Gguf,

    /// <summary>A zip local file header, <c>PK\x03\x04</c>: a <c>torch.save</c> archive.</summary>
    Zip,

    /// <summary>A pickle's PROTO opcode (<c>0x80</c>, protocol 2 to 5): a legacy <c>torch.save</c> file.</summary>
    Pickle,
}
