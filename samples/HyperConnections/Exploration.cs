using TorchSharp;
using static TorchSharp.torch;

namespace HyperConnections;

public class Exploration
{
    [TestCase(MixerVariant.Unconstrained)]
    [TestCase(MixerVariant.Sinkhorn)]
    public void Print(MixerVariant variant)
    {
        var settings = new HyperConnectionSettings { Variant = variant, Seed = long.Parse(Environment.GetEnvironmentVariable("HC_SEED") ?? "1") };
        var batch = HyperConnectionRun.CalibrationBatch(settings);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var losses = HyperConnectionRun.Train(settings, (model, step) =>
        {
            var mixers = new List<Tensor>();
            var handles = MultiStreamTransformer.MixerNames(settings).Select(name =>
                ((nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == name).module).register_forward_hook((m, i, o) => { mixers.Add(o.detach().clone()); return o; })).ToList();
            using (no_grad()) model.call(batch);
            foreach (var h in handles) h.remove();
            var product = eye(settings.Streams).expand(mixers[0].shape);
            var line = $"step {step}:";
            foreach (var m in mixers)
            {
                product = m.matmul(product);
                var s = linalg.matrix_norm(product.to(ScalarType.Float64), 2).flatten();
                line += $" {s.max().item<double>():0.###}";
            }
            TestContext.Out.WriteLine(line);
        });
        TestContext.Out.WriteLine($"{variant} {sw.Elapsed.TotalSeconds:0.0}s losses " + string.Join(" ", losses.Select(l => $"{l.Step}:{l.Loss:0.###}")));
    }
}
