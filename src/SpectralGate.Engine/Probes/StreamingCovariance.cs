using TorchSharp;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// Feature covariance of a stream of [tokens, d] batches, merged exactly (Chan et al.'s parallel update of the mean
/// and co-moment), in float64: a calibration set of any size streams in fixed memory d².
/// </summary>
public sealed class StreamingCovariance : IDisposable
{
    private torch.Tensor? _mean;     // [d]
    private torch.Tensor? _comoment; // [d, d] = Σ (x − mean)(x − mean)ᵀ

    public long Count { get; private set; }

    public int Dimension => _mean is null ? 0 : (int)_mean.shape[0];

    /// <summary>Adds a batch; [batch, seq, d] and any other leading shape are flattened to tokens × d.</summary>
    public void Add(torch.Tensor activations)
    {
        using var scope = torch.NewDisposeScope();
        // The running mean and co-moment are detached from every scope: a hook fires inside the caller's scope (a
        // training loop's, the monitor's calibration), which would otherwise free them when it ends.
        var x = activations.detach().reshape(-1, activations.shape[^1]).to(torch.ScalarType.Float64);
        long n = x.shape[0];
        if (n == 0) return;
        var mean = x.mean([0]);
        var centred = x - mean;
        var comoment = centred.t().matmul(centred);
        if (_mean is null)
        {
            _mean = mean.DetachFromDisposeScope();
            _comoment = comoment.DetachFromDisposeScope();
            Count = n;
            return;
        }
        if (mean.shape[0] != _mean.shape[0])
            throw new ArgumentException($"batch has {mean.shape[0]} features, earlier batches had {_mean.shape[0]}.");
        long total = Count + n;
        var delta = mean - _mean;
        var merged = _comoment! + comoment + delta.outer(delta) * ((double)Count * n / total);
        var mergedMean = _mean + delta * ((double)n / total);
        _comoment!.Dispose();
        _mean.Dispose();
        _comoment = merged.DetachFromDisposeScope();
        _mean = mergedMean.DetachFromDisposeScope();
        Count = total;
    }

    /// <summary>The covariance, divided by N − 1.</summary>
    public torch.Tensor Covariance()
    {
        if (_comoment is null || Count < 2) throw new InvalidOperationException("a covariance needs at least two tokens.");
        return _comoment / (Count - 1);
    }

    /// <summary>Eigenvalues of the covariance, descending, floored at 1e-12, all d kept (NerVE's convention).</summary>
    public double[] Eigenvalues()
    {
        using var scope = torch.NewDisposeScope();
        double[] values = torch.linalg.eigvalsh(Covariance()).clamp_min(1e-12).cpu().data<double>().ToArray();
        Array.Reverse(values);
        return values;
    }

    /// <summary>
    /// Singular values of the stacked raw activations Z (tokens × d, not centred), descending, min(tokens, d) of them, as
    /// <c>svdvals(Z)</c> gives: the square roots of the eigenvalues of ZᵀZ = Σ(x − mean)(x − mean)ᵀ + N·mean·meanᵀ, so the
    /// stream needs no more than the covariance's d². An eigenvalue below d·ε·λ_max (the Gram's rounding) counts as 0,
    /// where an SVD of Z would give about ε·σ_max.
    /// </summary>
    public double[] SingularValues()
    {
        if (_comoment is null) throw new InvalidOperationException("no activations were added.");
        using var scope = torch.NewDisposeScope();
        var gram = _comoment + _mean!.outer(_mean) * (double)Count;
        double[] lambda = torch.linalg.eigvalsh(gram).cpu().data<double>().ToArray();
        Array.Reverse(lambda);
        double floor = lambda.Length * (Math.BitIncrement(1.0) - 1.0) * Math.Max(lambda[0], 0);
        int count = (int)Math.Min(Count, lambda.Length);
        var sigma = new double[count];
        for (int i = 0; i < count; i++) sigma[i] = lambda[i] > floor ? Math.Sqrt(lambda[i]) : 0;
        return sigma;
    }

    public void Dispose()
    {
        _mean?.Dispose();
        _comoment?.Dispose();
    }
}
