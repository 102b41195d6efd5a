using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AnalyzerShowcase.Models;

public static class LinearRecurrences
{
    /// <summary>Risky: Mamba-style decay exp(dt * A), A = -exp(A_log) &lt; 0.</summary>
    public static Tensor SelectiveScan(Tensor dtRaw, Tensor A_log, Tensor[] inputs)
    {
        var a = exp(F.softplus(dtRaw) * -exp(A_log)); // SG0002
        var h = zeros_like(inputs[0]);
        for (int t = 0; t < inputs.Length; t++)
        {
            h = a[t] * h + inputs[t];
        }

        return h;
    }

    /// <summary>Safe: the same decay mapped to (-1, 1).</summary>
    public static Tensor SignedSelectiveScan(Tensor dtRaw, Tensor A_log, Tensor[] inputs)
    {
        var a = 2 * exp(F.softplus(dtRaw) * -exp(A_log)) - 1;
        var h = zeros_like(inputs[0]);
        for (int t = 0; t < inputs.Length; t++)
        {
            h = a[t] * h + inputs[t];
        }

        return h;
    }

    /// <summary>Risky: gated linear attention decays as a cumulative product (the scan form).</summary>
    public static Tensor GatedDecays(Tensor gates) => gates.sigmoid().cumprod(1); // SG0002

    /// <summary>Safe: tanh gates already span (-1, 1).</summary>
    public static Tensor SignedDecays(Tensor gates) => gates.tanh().cumprod(1);

    /// <summary>Risky: DeltaNet transition I - beta k kᵀ with beta in (0, 1).</summary>
    public static Tensor DeltaTransition(Tensor x, Tensor k, long d)
    {
        var beta = sigmoid(x); // SG0003
        return eye(d) - beta * outer(k, k);
    }

    /// <summary>Safe: beta in (0, 2) lets 1 - beta go negative.</summary>
    public static Tensor SignedDeltaTransition(Tensor x, Tensor k, long d)
    {
        var beta = 2 * sigmoid(x);
        return eye(d) - beta * outer(k, k);
    }
}
