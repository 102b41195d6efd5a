using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>
/// A decoder-only transformer on n residual streams: the token and position embedding is copied into every stream
/// (as HC does), each block is one hyper-connected sublayer (attention and MLP in turn), the streams are summed before
/// the final norm and the readout. The mixers are submodules <c>blocks.{i}.mixer</c>, each returning H_res
/// [batch, tokens, n, n], so a probe can hook them; every module runs through <c>call</c>.
/// </summary>
public sealed class MultiStreamTransformer : nn.Module<Tensor, Tensor>
{
    private readonly long streams;
    private readonly Embedding embed;
    private readonly Embedding position;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> blocks;
    private readonly Linear readout;

    public MultiStreamTransformer(HyperConnectionSettings settings) : base(nameof(MultiStreamTransformer))
    {
        streams = settings.Streams;
        embed = nn.Embedding(settings.Vocabulary, settings.Width);
        position = nn.Embedding(settings.Tokens, settings.Width);
        blocks = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < settings.Blocks; i++)
        {
            nn.Module<Tensor, Tensor> layer = i % 2 == 0 ? new CausalAttention(settings.Width, settings.Heads) : new FeedForward(settings.Width);
            blocks.Add(settings.Variant == MixerVariant.Unconstrained
                ? new HcBlock(settings.Streams, settings.Width, layer)
                : new MhcBlock(settings.Streams, settings.Width, settings.SinkhornIterations, layer));
        }
        readout = nn.Linear(settings.Width, settings.Vocabulary);
        RegisterComponents();
    }

    /// <summary>The mixer modules' names, first block first: what the mixer probe hooks.</summary>
    public static IReadOnlyList<string> MixerNames(HyperConnectionSettings settings) =>
        Enumerable.Range(0, settings.Blocks).Select(i => $"blocks.{i}.mixer").ToList();

    /// <param name="tokens">[batch, tokens] token ids</param>
    /// <returns>next-token logits [batch, tokens, vocabulary]</returns>
    public override Tensor forward(Tensor tokens)
    {
        var h = embed.call(tokens) + position.call(arange(tokens.shape[1], device: tokens.device));
        var x = h.unsqueeze(-2).expand(-1, -1, streams, -1);
        foreach (var block in blocks) x = block.call(x);
        return readout.call(StreamNorm.Of(x.sum(-2)));
    }
}
