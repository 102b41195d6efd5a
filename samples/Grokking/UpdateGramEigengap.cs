using static TorchSharp.torch;

namespace Grokking;

/// <summary>
/// The rolling eigengap σ₂/σ₃ of the last <see cref="Window"/> parameter updates of one weight (Xu, arXiv 2605.08119):
/// the updates ΔW_t = W_t − W_{t−1}, flattened, are the rows of a window matrix whose singular values come from its
/// small window × window Gram. A ratio that climbs means the updates lock into a rank-2 subspace.
/// </summary>
public sealed class UpdateGramEigengap(int window = 20) : IDisposable
{
    private readonly Queue<Tensor> updates = new();
    private Tensor? previous;

    public int Window { get; } = window;

    /// <summary>Adds the weight after a step; returns σ₂/σ₃ once the window is full, null before.</summary>
    public double? Add(Tensor weight)
    {
        using var current = weight.detach().flatten().to(ScalarType.Float64, copy: true);
        double? ratio = null;
        if (previous is not null)
        {
            updates.Enqueue((current - previous).DetachFromDisposeScope());
            if (updates.Count > Window) updates.Dequeue().Dispose();
            if (updates.Count == Window) ratio = Ratio();
        }
        previous?.Dispose();
        previous = current.clone().DetachFromDisposeScope();
        return ratio;
    }

    private double Ratio()
    {
        using var scope = NewDisposeScope();
        var rows = stack(updates.ToArray());
        var eigenvalues = linalg.eigvalsh(rows.matmul(rows.T)).flip(0); // descending: σ_i² of the window matrix
        double second = eigenvalues[1].item<double>(), third = eigenvalues[2].item<double>();
        return third > 0 ? Math.Sqrt(second / third) : double.PositiveInfinity;
    }

    public void Dispose()
    {
        previous?.Dispose();
        foreach (var u in updates) u.Dispose();
        updates.Clear();
    }
}
