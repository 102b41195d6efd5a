using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Deltas;

public class LoraAdapterTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void AdapterSpectraEqualTheDenseSvdOfScaledBTimesA(bool rslora)
    {
        string folder = DeltaFixtures.WriteAdapter(r: 16, alpha: 32, rslora, ("model.layers.0.self_attn.q_proj.weight", 96, 64));
        using var adapter = LoraAdapter.Open(folder);
        var module = adapter.Modules.Single();
        double scale = rslora ? 32 / Math.Sqrt(16) : 32.0 / 16;

        double[] lowRank = adapter.Eigenvalues(module, CPU, ScalarType.Float64);
        Tensor dense = module.B.Load(CPU, ScalarType.Float64).matmul(module.A.Load(CPU, ScalarType.Float64)) * scale;
        double[] sigma = linalg.svdvals(dense).data<double>().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(module.Scale, Is.EqualTo(scale));
            Assert.That(lowRank, Has.Length.EqualTo(64));
            for (int i = 0; i < 16; i++)
                Assert.That(Math.Sqrt(lowRank[i]), Is.EqualTo(sigma[i]).Within(1e-10 * sigma[i]), $"σ_{i}");
            for (int i = 16; i < 64; i++) Assert.That(lowRank[i], Is.EqualTo(0), $"λ_{i} beyond the rank");
        });
    }

    [Test]
    public void TheDeltaAgainstTheAdapterEqualsTheDeltaAgainstTheMergedModel()
    {
        const string q = "model.layers.0.self_attn.q_proj.weight", v = "model.layers.0.self_attn.v_proj.weight", up = "model.layers.0.mlp.up_proj.weight";
        string folder = DeltaFixtures.WriteAdapter(r: 4, alpha: 8, rslora: false, (q, 48, 32), (v, 48, 32));
        Tensor wq = DeltaFixtures.Gaussian(48, 32, 1), wv = DeltaFixtures.Gaussian(48, 32, 2), wu = DeltaFixtures.Gaussian(64, 32, 3);
        string basePath = DeltaFixtures.Checkpoint((q, wq), (v, wv), (up, wu));
        DeltaSignature fromAdapter, fromMerged;
        using (var adapter = LoraAdapter.Open(folder))
        {
            var merged = new Dictionary<string, Tensor> { [q] = wq, [v] = wv, [up] = wu };
            // Merged as PEFT's merge_and_unload does: W + (lora_alpha / r)·B·A.
            foreach (var module in adapter.Modules)
                merged[module.Target] = merged[module.Target] + 2.0 * module.B.Load(CPU, ScalarType.Float64).matmul(module.A.Load(CPU, ScalarType.Float64));
            string mergedPath = DeltaFixtures.Checkpoint(merged.Select(p => (p.Key, p.Value)).ToArray());
            using var baseSource = new SafetensorsFileSource(basePath);
            fromAdapter = DeltaEngine.Compute(baseSource, adapter);
            using var mergedSource = new SafetensorsFileSource(mergedPath);
            fromMerged = DeltaEngine.Compute(baseSource, mergedSource);
        }

        Assert.Multiple(() =>
        {
            Assert.That(fromAdapter.Layers.Select(l => (l.Name, l.Status)), Is.EqualTo(fromMerged.Layers.Select(l => (l.Name, l.Status))));
            Assert.That(fromAdapter.Layer(up)!.Status, Is.EqualTo(DeltaStatus.Unchanged));
            Assert.That(fromAdapter.Layer(q)![DeltaMetricNames.NumericalRank], Is.EqualTo(4));
            foreach (var layer in fromMerged.Layers)
                foreach (var (metric, value) in layer.Metrics)
                {
                    double? other = fromAdapter.Layer(layer.Name)![metric];
                    if (value is null) Assert.That(other, Is.Null, $"{layer.Name} {metric}");
                    else Assert.That(other, Is.EqualTo(value.Value).Within(1e-9 * Math.Max(1, Math.Abs(value.Value))), $"{layer.Name} {metric}");
                }
        });
    }

    [Test]
    public void UnderFanInFanOutTheDeltaAgainstTheAdapterEqualsTheDeltaAgainstTheTransposedMerge()
    {
        // GPT-2's Conv1D stores W as [in, out] = [32, 48]; PEFT merges it as W + s·(B·A)ᵀ with B [48, 4], A [4, 32].
        const string attn = "transformer.h.0.attn.c_attn.weight";
        string folder = DeltaFixtures.WriteAdapter(r: 4, alpha: 8, rslora: false, fanInFanOut: true, (attn, 48, 32));
        Tensor w = DeltaFixtures.Gaussian(32, 48, 5);
        string basePath = DeltaFixtures.Checkpoint((attn, w));
        DeltaSignature fromAdapter, fromMerged;
        using (var adapter = LoraAdapter.Open(folder))
        {
            var module = adapter.Modules.Single();
            Tensor merged = w + 2.0 * module.B.Load(CPU, ScalarType.Float64).matmul(module.A.Load(CPU, ScalarType.Float64)).t();
            using var baseSource = new SafetensorsFileSource(basePath);
            fromAdapter = DeltaEngine.Compute(baseSource, adapter);
            using var mergedSource = new SafetensorsFileSource(DeltaFixtures.Checkpoint((attn, merged)));
            fromMerged = DeltaEngine.Compute(baseSource, mergedSource);
        }

        var expected = fromMerged.Layer(attn)!;
        var actual = fromAdapter.Layer(attn)!;
        Assert.Multiple(() =>
        {
            Assert.That(actual.Status, Is.EqualTo(DeltaStatus.Changed));
            Assert.That(actual[DeltaMetricNames.NumericalRank], Is.EqualTo(4));
            foreach (var (metric, value) in expected.Metrics)
                Assert.That(actual[metric], Is.EqualTo(value!.Value).Within(1e-9 * Math.Max(1, Math.Abs(value.Value))), metric);
        });
    }

    [Test]
    public void AnUnpairedLoraMatrixIsAnErrorNamingTheTensor()
    {
        string folder = DeltaFixtures.WriteAdapter(r: 4, alpha: 8, rslora: false);
        SafetensorsWriter.Write(Path.Combine(folder, LoraAdapter.WeightsFile),
            [DeltaFixtures.Float64("base_model.model.x.lora_A.weight", DeltaFixtures.Gaussian(4, 16, 1))]);

        var error = Assert.Throws<SpectralGate.Engine.Errors.ModelFormatException>(() => LoraAdapter.Open(folder));
        Assert.That(error!.Message, Does.Contain("x.lora_A.weight").And.Contain("lora_B"));
    }
}
