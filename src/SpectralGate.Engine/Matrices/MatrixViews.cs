using TorchSharp;

namespace SpectralGate.Engine.Matrices;

/// <summary>Turns a weight tensor into the matrices whose spectra describe it.</summary>
public static class MatrixViews
{
    private static readonly string[] FusedMarkers = ["in_proj_weight", "qkv", "c_attn"];

    // kind: as stated by a kind map or module (LayerKindRules), or null for the name rule.
    public static IReadOnlyList<MatrixView> Create(string name, torch.Tensor weight, MatrixViewOptions options, LayerKind? kind = null)
    {
        kind ??= LayerKinds.Classify(name, weight.shape);
        var views = new List<MatrixView>();
        if (weight.dim() == 2)
        {
            views.Add(new MatrixView(name, kind.Value, weight.unsqueeze(0)));
            if (options.SplitFusedProjections && IsFused(name, weight.shape, out int axis))
            {
                torch.Tensor[] parts = weight.chunk(3, axis);
                string[] labels = ["q", "k", "v"];
                for (int i = 0; i < 3; i++)
                    views.Add(new MatrixView($"{name}[{labels[i]}]", LayerKind.AttentionProjection, parts[i].contiguous().unsqueeze(0)));
            }
        }
        else if (kind == LayerKind.Expert)
        {
            // [experts, rows, cols]: one layer per expert, named name[e].
            for (long e = 0; e < weight.shape[0]; e++)
                views.Add(new MatrixView($"{name}[{e}]", LayerKind.Expert, weight[e].unsqueeze(0)));
        }
        else
        {
            // [out, in, k1, k2, ...]
            long outChannels = weight.shape[0];
            long inChannels = weight.shape[1];
            double scale = ConvNormalisations.EigenvalueScale(options.ConvNormalisation, name, weight.shape);
            if (options.ConvMode == ConvMatrixMode.Flatten)
            {
                views.Add(new MatrixView(name, LayerKind.Conv, weight.reshape(1, outChannels, -1)) { EigenvalueScale = scale });
            }
            else
            {
                // Move the kernel positions to the front: [k1*k2*..., out, in].
                long positions = weight.numel() / (outChannels * inChannels);
                torch.Tensor batch = weight.reshape(outChannels, inChannels, positions).permute(2, 0, 1).contiguous();
                views.Add(new MatrixView(name, LayerKind.Conv, batch) { EigenvalueScale = scale });
            }
        }
        return views;
    }

    private static bool IsFused(string name, long[] shape, out int axis)
    {
        axis = 0;
        if (!FusedMarkers.Any(name.Contains)) return false;
        if (shape[0] == 3 * shape[1]) { axis = 0; return true; }
        if (shape[1] == 3 * shape[0]) { axis = 1; return true; }
        return false;
    }
}
