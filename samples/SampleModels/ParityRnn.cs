using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SampleModels;

/// <summary>
/// A diagonal linear RNN with input-dependent transitions, h_t = a(x_t) ⊙ h_{t−1} + b(x_t), read out from h_T:
/// the model of Grazzi et al. With a = sigmoid(·) every eigenvalue is in (0, 1); with a = 2·sigmoid(·) − 1 they can be
/// negative, which is what parity needs (a = −1 on a one flips the state). Trained here once (<see cref="Train"/>, by
/// <c>samples/SampleModels</c>) into <c>samples/models/parity-rnn-*.torchsharp.dat</c>, which the tests and the
/// ArchitectureSpectra sample load instead of training it again. The parameter names are those of the sample's models.
/// </summary>
public sealed class ParityRnn : nn.Module<Tensor, Tensor>
{
    private readonly DecayGate decay;
    private readonly Linear input;
    private readonly Linear readout;

    public ParityRnn(int hidden, bool signed) : base(nameof(ParityRnn))
    {
        decay = new DecayGate(hidden, signed);
        input = nn.Linear(1, hidden);
        readout = nn.Linear(hidden, 2);
        RegisterComponents();
    }

    /// <summary>The module named <c>decay</c>, whose output is the transition values a(x_t) (what <c>RecurrenceProbe</c> reads).</summary>
    private sealed class DecayGate : nn.Module<Tensor, Tensor>
    {
        private readonly Linear transition;
        private readonly bool signed;

        public DecayGate(int hidden, bool signed) : base(nameof(DecayGate))
        {
            transition = nn.Linear(1, hidden);
            this.signed = signed;
            RegisterComponents();
        }

        /// <summary>The transition values of every step: [batch, time, hidden].</summary>
        public override Tensor forward(Tensor bits)
        {
            var s = transition.forward(bits.unsqueeze(-1)).sigmoid();
            return signed ? 2 * s - 1 : s;
        }
    }

    /// <summary>The transition values of every step: [batch, time, hidden].</summary>
    public Tensor Decays(Tensor bits) => decay.call(bits);

    public override Tensor forward(Tensor bits)
    {
        var a = Decays(bits);
        var b = input.forward(bits.unsqueeze(-1));
        var h = ones(bits.shape[0], a.shape[2]); // h_0 = 1: then a = 1 − 2x carries parity in the sign of h_T
        for (long t = 0; t < bits.shape[1]; t++) h = a[.., (int)t] * h + b[.., (int)t];
        return readout.forward(h);
    }

    /// <summary>The bundled weights' file name: <c>parity-rnn-signed.torchsharp.dat</c> or <c>parity-rnn-positive.torchsharp.dat</c>.</summary>
    public static string FileName(bool signed) => $"parity-rnn-{(signed ? "signed" : "positive")}.torchsharp.dat";

    /// <summary>A model with the weights <see cref="Train"/> wrote to <paramref name="path"/>.</summary>
    public static ParityRnn Load(string path, bool signed)
    {
        var model = new ParityRnn(8, signed);
        model.load(path);
        return model;
    }

    /// <summary>Parity accuracy on 2000 fresh bit strings of the given length.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, int length, Generator generator)
    {
        using var test = NewDisposeScope();
        using var _ = no_grad();
        var x = randint(0, 2, [2000, length], generator: generator).to(ScalarType.Float32);
        var y = x.sum(1).remainder(2).to(ScalarType.Int64);
        return model.forward(x).argmax(1).eq(y).to(ScalarType.Float32).mean().item<float>();
    }

    /// <summary>Trains on random bit strings of the given length; returns test accuracy.</summary>
    public static (ParityRnn Model, double Accuracy) Train(bool signed, int length, int steps, ulong seed)
    {
        torch.manual_seed((long)seed);
        var generator = new Generator(seed);
        var model = new ParityRnn(8, signed);
        var optimizer = optim.Adam(model.parameters(), lr: 3e-2);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var bits = randint(0, 2, [128, length], generator: generator).to(ScalarType.Float32);
            var parity = bits.sum(1).remainder(2).to(ScalarType.Int64);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(bits), parity);
            loss.backward();
            optimizer.step();
        }
        return (model, Accuracy(model, length, generator));
    }
}
