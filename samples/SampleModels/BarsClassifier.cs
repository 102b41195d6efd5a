using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SampleModels;

/// <summary>conv(1→16, 3x3) → conv(16→32, 3x3) → fc(32·8·8 → 128) → fc(128 → 64) → head(64 → 4).</summary>
internal sealed class BarsClassifier : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = Conv2d(1, 16, 3);
    private readonly Conv2d conv2 = Conv2d(16, 32, 3);
    private readonly Linear fc1 = Linear(32 * 8 * 8, 128);
    private readonly Linear fc2 = Linear(128, 64);
    private readonly Linear head = Linear(64, BarsDataset.Classes);

    public BarsClassifier() : base(nameof(BarsClassifier)) => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        x = functional.relu(conv1.forward(x));
        x = functional.relu(conv2.forward(x));
        x = x.flatten(1);
        x = functional.relu(fc1.forward(x));
        x = functional.relu(fc2.forward(x));
        return head.forward(x);
    }
}
