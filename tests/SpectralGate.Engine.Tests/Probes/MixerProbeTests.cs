using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

using static SpectralGate.Tests.Support.PlantedMixers;

namespace SpectralGate.Engine.Tests.Probes;

/// <summary>
/// <see cref="MixerProbe"/> on planted mixers: each block outputs a fixed stack of matrices, one per token, so every
/// metric has a closed form written out here (permutations, uniform averaging, scaled identities, Sinkhorn-projected
/// doubly stochastic matrices, products growing as c^l, per-token quantiles counted by hand).
/// </summary>
public class MixerProbeTests
{
    private static IReadOnlyList<LayerSignature> Capture(params double[][][,] depthTokenMixers)
    {
        using var model = new PlantedStack(depthTokenMixers.Select(Stack));
        using var tokens = Tokens(depthTokenMixers[0].Length);
        return MixerProbe.Capture(model, tokens, model.Names);
    }

    [Test]
    public void PermutationsHaveGainOneEntropyZeroAndNoDeviation()
    {
        // Three tokens, three depths, a different permutation of 4 streams at each: every product is a permutation.
        double[][,] depth0 = [Permutation(1, 2, 3, 0), Permutation(0, 1, 2, 3), Permutation(3, 2, 1, 0)];
        double[][,] depth1 = [Permutation(2, 3, 0, 1), Permutation(1, 0, 3, 2), Permutation(0, 2, 1, 3)];
        double[][,] depth2 = [Permutation(3, 0, 1, 2), Permutation(2, 0, 3, 1), Permutation(1, 3, 0, 2)];

        var layers = Capture(depth0, depth1, depth2);

        Assert.Multiple(() =>
        {
            Assert.That(layers.Select(l => l.Name), Is.EqualTo(new[] { "probe:mixer/blocks.0", "probe:mixer/blocks.1", "probe:mixer/blocks.2" }));
            foreach (var layer in layers)
            {
                Assert.That(layer.Kind, Is.EqualTo(LayerKind.Mixer));
                Assert.That(layer.Shape, Is.EqualTo(new long[] { 4, 4 }));
                Assert.That(layer.Metrics.Keys, Is.EquivalentTo(ProbeLayerKinds.MetricsOf(LayerKind.Mixer)));
                Assert.That(layer[ProbeMetricNames.CompositeGain], Is.EqualTo(1).Within(1e-14), layer.Name);
                Assert.That(layer[ProbeMetricNames.CompositeGainP50], Is.EqualTo(1).Within(1e-14), layer.Name);
                Assert.That(layer[ProbeMetricNames.RoutingEntropy], Is.EqualTo(0), layer.Name);
                Assert.That(layer[ProbeMetricNames.RoutingEntropyMin], Is.EqualTo(0), layer.Name);
                Assert.That(layer[ProbeMetricNames.RowSumError], Is.EqualTo(0), layer.Name);
                Assert.That(layer[ProbeMetricNames.ColumnSumError], Is.EqualTo(0), layer.Name);
                Assert.That(layer[ProbeMetricNames.RowSumErrorMean], Is.EqualTo(0), layer.Name);
                Assert.That(layer[ProbeMetricNames.OrthogonalityError], Is.EqualTo(0), layer.Name);
                Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-14), layer.Name);
                Assert.That(layer[ProbeMetricNames.MinEntry], Is.EqualTo(0), layer.Name);
            }
            // Token 1 keeps the identity at depth 0: ‖I − I‖ = 0 there; the others move all four streams, ‖P − I‖_F = √8.
            Assert.That(layers[0][ProbeMetricNames.IdentityDistance], Is.EqualTo(Math.Sqrt(8)).Within(1e-14));
        });
    }

    [Test]
    public void UniformAveragingIsDoublyStochasticWithEntropyOneAndGainOneOnTheMeanDirection()
    {
        // J = 11ᵀ/n: rows and columns sum to 1, every row is uniform (entropy ln n), J² = J and ‖J‖₂ = 1 (J1 = 1).
        var uniform = new double[4, 4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) uniform[i, j] = 0.25;

        var layers = Capture([uniform, uniform], [uniform, uniform]);

        Assert.Multiple(() =>
        {
            foreach (var layer in layers)
            {
                Assert.That(layer[ProbeMetricNames.RowSumError], Is.EqualTo(0), layer.Name);
                Assert.That(layer[ProbeMetricNames.ColumnSumError], Is.EqualTo(0), layer.Name);
                Assert.That(layer[ProbeMetricNames.RoutingEntropy], Is.EqualTo(1).Within(1e-15), layer.Name);
                Assert.That(layer[ProbeMetricNames.RoutingEntropyMin], Is.EqualTo(1).Within(1e-15), layer.Name);
                Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-14), layer.Name);
                Assert.That(layer[ProbeMetricNames.CompositeGain], Is.EqualTo(1).Within(1e-14), layer.Name);
                Assert.That(layer[ProbeMetricNames.MinEntry], Is.EqualTo(0.25), layer.Name);
                // ‖J − I‖_F² = 4·(3/4)² + 12·(1/4)² = 3; J is a projection, so ‖JᵀJ − I‖_F = ‖J − I‖_F.
                Assert.That(layer[ProbeMetricNames.IdentityDistance], Is.EqualTo(Math.Sqrt(3)).Within(1e-14), layer.Name);
                Assert.That(layer[ProbeMetricNames.OrthogonalityError], Is.EqualTo(Math.Sqrt(3)).Within(1e-14), layer.Name);
            }
        });
    }

    [Test]
    public void ScaledIdentitiesComposeToTheScaleToTheDepth()
    {
        const double c = 1.5;
        const int depth = 5;
        var mixer = Scaled(Identity(4), c);

        var layers = Capture(Enumerable.Range(0, depth).Select(_ => new[] { mixer, mixer }).ToArray());

        Assert.Multiple(() =>
        {
            for (int l = 0; l < depth; l++)
            {
                Assert.That(layers[l][ProbeMetricNames.CompositeGain], Is.EqualTo(Math.Pow(c, l + 1)).Within(1e-13), $"depth {l + 1}");
                Assert.That(layers[l][ProbeMetricNames.CompositeGainP95], Is.EqualTo(Math.Pow(c, l + 1)).Within(1e-13), $"depth {l + 1}");
                Assert.That(layers[l][MetricNames.SpectralNorm], Is.EqualTo(c).Within(1e-14));
                Assert.That(layers[l][ProbeMetricNames.RoutingEntropy], Is.EqualTo(0), "a scaled permutation routes hard");
                Assert.That(layers[l][ProbeMetricNames.RowSumError], Is.EqualTo(c - 1));
                Assert.That(layers[l][ProbeMetricNames.IdentityDistance], Is.EqualTo(2 * (c - 1)).Within(1e-14), "√n (c − 1)");
                Assert.That(layers[l][ProbeMetricNames.OrthogonalityError], Is.EqualTo(2 * (c * c - 1)).Within(1e-14), "√n (c² − 1)");
            }
        });
    }

    [Test]
    public void SinkhornProjectedMixersAreDoublyStochasticWithSpectralNormOneAtEveryDepth()
    {
        // A doubly stochastic D has ‖D‖₁ = ‖D‖_∞ = 1, so ‖D‖₂ ≤ √(‖D‖₁‖D‖_∞) = 1, and D1 = 1 makes it 1; products stay doubly stochastic.
        var random = new Random(7);
        var depths = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 16).Select(_ => Sinkhorn(random, 4)).ToArray()).ToArray();

        var layers = Capture(depths);

        Assert.Multiple(() =>
        {
            foreach (var layer in layers)
            {
                Assert.That(layer[ProbeMetricNames.RowSumError], Is.LessThan(1e-14), layer.Name);
                Assert.That(layer[ProbeMetricNames.ColumnSumError], Is.LessThan(1e-14), layer.Name);
                Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(1).Within(1e-13), layer.Name);
                Assert.That(layer[ProbeMetricNames.SpectralNormP50], Is.EqualTo(1).Within(1e-13), layer.Name);
                Assert.That(layer[ProbeMetricNames.SpectralNormMean], Is.EqualTo(1).Within(1e-13), layer.Name);
                Assert.That(layer[ProbeMetricNames.CompositeGain], Is.EqualTo(1).Within(1e-13), layer.Name);
                Assert.That(layer[ProbeMetricNames.CompositeGainP50], Is.EqualTo(1).Within(1e-13), layer.Name);
                Assert.That(layer[ProbeMetricNames.RoutingEntropy], Is.GreaterThan(0).And.LessThan(1), layer.Name);
                Assert.That(layer[ProbeMetricNames.MinEntry], Is.GreaterThan(0), layer.Name);
            }
        });
    }

    [Test]
    public void RowSumsAboveOneGrowTheProductAsCToTheDepth()
    {
        // The unconstrained HC failure: c·D with D doubly stochastic, rows summing to c; (cD_l)⋯(cD_1) = c^l·(a doubly stochastic matrix).
        const double c = 1.2;
        var random = new Random(11);
        var depths = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 8).Select(_ => Scaled(Sinkhorn(random, 4), c)).ToArray()).ToArray();

        var layers = Capture(depths);

        Assert.Multiple(() =>
        {
            for (int l = 0; l < layers.Count; l++)
            {
                double expected = Math.Pow(c, l + 1);
                Assert.That(layers[l][ProbeMetricNames.CompositeGain], Is.EqualTo(expected).Within(1e-12 * expected), $"depth {l + 1}");
                Assert.That(layers[l][ProbeMetricNames.CompositeGainP50], Is.EqualTo(expected).Within(1e-12 * expected), $"depth {l + 1}");
                Assert.That(layers[l][ProbeMetricNames.RowSumError], Is.EqualTo(c - 1).Within(1e-14));
                Assert.That(layers[l][ProbeMetricNames.ColumnSumErrorMean], Is.EqualTo(c - 1).Within(1e-14));
                Assert.That(layers[l][MetricNames.SpectralNorm], Is.EqualTo(c).Within(1e-13));
            }
        });
    }

    [Test]
    public void QuantilesOverTokensAreTheHandCountedOnes()
    {
        // Five tokens, n = 2, H = s·I at depth 1 and r·I at depth 2 (the tokens out of order, so sorting matters):
        // norms at depth 1 {3, 1, 10, 2, 4}: p50 = 3, p95 at h = 4·0.95 = 3.8: 4 + 0.8·(10 − 4) = 8.8, mean 4, max 10.
        // Gains at depth 2, s·r = {3, 2, 10, 2, 4}, sorted 2, 2, 3, 4, 10: max 10, p50 3, p95 8.8 again.
        double[] s = [3, 1, 10, 2, 4];
        double[] r = [1, 2, 1, 1, 1];
        var first = s.Select(v => Scaled(Identity(2), v)).ToArray();
        var second = r.Select(v => Scaled(Identity(2), v)).ToArray();

        var layers = Capture(first, second);

        Assert.Multiple(() =>
        {
            Assert.That(layers[0][MetricNames.SpectralNorm], Is.EqualTo(10));
            Assert.That(layers[0][ProbeMetricNames.SpectralNormP50], Is.EqualTo(3));
            Assert.That(layers[0][ProbeMetricNames.SpectralNormP95], Is.EqualTo(8.8).Within(1e-14));
            Assert.That(layers[0][ProbeMetricNames.SpectralNormMean], Is.EqualTo(4));
            Assert.That(layers[0][ProbeMetricNames.CompositeGainP50], Is.EqualTo(3));
            // Depth 2: norms {1, 2, 1, 1, 1}: p50 1, p95 at 3.8: 1 + 0.8·(2 − 1) = 1.8, mean 1.2.
            Assert.That(layers[1][ProbeMetricNames.SpectralNormP95], Is.EqualTo(1.8).Within(1e-14));
            Assert.That(layers[1][ProbeMetricNames.SpectralNormMean], Is.EqualTo(1.2).Within(1e-14));
            Assert.That(layers[1][ProbeMetricNames.CompositeGain], Is.EqualTo(10));
            Assert.That(layers[1][ProbeMetricNames.CompositeGainP50], Is.EqualTo(3));
            Assert.That(layers[1][ProbeMetricNames.CompositeGainP95], Is.EqualTo(8.8).Within(1e-14));
            // |s − 1| per token {2, 0, 9, 1, 3}: max 9, mean 3.
            Assert.That(layers[0][ProbeMetricNames.RowSumError], Is.EqualTo(9));
            Assert.That(layers[0][ProbeMetricNames.RowSumErrorMean], Is.EqualTo(3));
        });
    }

    [Test]
    public void RoutingEntropyIsTheMeanRowEntropyOverLnN()
    {
        // Rows (1/2, 1/2, 0) and two hard rows: (ln 2 + 0 + 0)/3 / ln 3 per token; a token of all-uniform rows is 1: mean of the two, min the first.
        var half = new double[,] { { 0.5, 0.5, 0 }, { 0, 0, 1 }, { 0, 1, 0 } };
        var uniform = new double[,] { { 1.0 / 3, 1.0 / 3, 1.0 / 3 }, { 1.0 / 3, 1.0 / 3, 1.0 / 3 }, { 1.0 / 3, 1.0 / 3, 1.0 / 3 } };
        double first = Math.Log(2) / 3 / Math.Log(3);

        var layer = Capture([half, uniform]).Single();

        Assert.That(layer[ProbeMetricNames.RoutingEntropy], Is.EqualTo((first + 1) / 2).Within(1e-15));
        Assert.That(layer[ProbeMetricNames.RoutingEntropyMin], Is.EqualTo(first).Within(1e-15));
    }

    [Test]
    public void SeveralForwardPassesRestartTheProductAtTheFirstModule()
    {
        // Two passes over c·I: the composite gain at depth l is c^l in each pass, never c^(L + l).
        const double c = 2;
        using var model = new PlantedStack([Stack([Scaled(Identity(2), c)]), Stack([Scaled(Identity(2), c)]), Stack([Scaled(Identity(2), c)])]);
        using var probe = new MixerProbe(model, model.Names);
        using var token = Tokens(1);

        using (no_grad())
        {
            model.call(token).Dispose();
            model.call(token).Dispose();
        }
        var layers = probe.Layers();

        Assert.That(layers.Select(l => l[ProbeMetricNames.CompositeGain]), Is.EqualTo(new double?[] { 2, 4, 8 }));
        Assert.That(probe.Tokens("blocks.2"), Is.EqualTo(2));
    }

    [Test]
    public void LeadingAxesAreTokens()
    {
        // [batch 2, seq 3, n, n]: six tokens, scales 1..6 on the identity; p50 at h = 2.5: 3.5.
        using var mixers = (arange(1, 7, dtype: ScalarType.Float64).reshape(2, 3, 1, 1) * eye(2, dtype: ScalarType.Float64)).to(ScalarType.Float32);
        using var model = nn.Sequential(("mixer", nn.Identity()));

        var layer = MixerProbe.Capture(model, mixers, "mixer").Single();

        Assert.That(layer[ProbeMetricNames.SpectralNormP50], Is.EqualTo(3.5));
        Assert.That(layer[ProbeMetricNames.SpectralNormMean], Is.EqualTo(3.5));
        Assert.That(layer[MetricNames.SpectralNorm], Is.EqualTo(6));
    }

    [Test]
    public void AnUnknownModuleIsAnErrorListingTheModulesTheModelHas()
    {
        using var model = new PlantedStack([Stack([Identity(2)])]);
        using var tokens = Tokens(1);

        Assert.That(() => MixerProbe.Capture(model, tokens, "blocks.9"),
            Throws.ArgumentException.With.Message.Contains("no module 'blocks.9'").And.Message.Contains("blocks.0"));
    }

    [Test]
    public void AnOutputThatIsNotSquareInItsLastTwoAxesIsAnErrorNamingTheModuleAndShape()
    {
        using var wide = ones(5, 3, 4);
        using var model = new PlantedStack([new FixedOutput(wide)]);
        using var tokens = Tokens(1);

        Assert.That(() => MixerProbe.Capture(model, tokens, model.Names),
            Throws.ArgumentException.With.Message.Contains("module 'blocks.0'").And.Message.Contains("[5, 3, 4]").And.Message.Contains("[..., n, n]"));
    }

    [Test]
    public void ModulesMixingDifferentStreamCountsAreAnErrorNamingBoth()
    {
        using var two = eye(2).unsqueeze(0);
        using var three = eye(3).unsqueeze(0);
        using var model = new PlantedStack([new FixedOutput(two), new FixedOutput(three)]);
        using var tokens = Tokens(1);

        Assert.That(() => MixerProbe.Capture(model, tokens, model.Names),
            Throws.ArgumentException.With.Message.Contains("module 'blocks.1' mixes 3 streams but 'blocks.0' mixed 2"));
    }

    [Test]
    public void ModulesOverDifferentTokensInOnePassAreAnErrorNamingTheShapes()
    {
        using var twoTokens = eye(4).expand(2, 4, 4).contiguous();
        using var threeTokens = eye(4).expand(3, 4, 4).contiguous();
        using var model = new PlantedStack([new FixedOutput(twoTokens), new FixedOutput(threeTokens)]);
        using var tokens = Tokens(1);

        Assert.That(() => MixerProbe.Capture(model, tokens, model.Names),
            Throws.ArgumentException.With.Message.Contains("module 'blocks.1' output has leading shape [3] but 'blocks.0' had [2]"));
    }

    [Test]
    public void NaNOrInfinityInAMixerIsAnErrorNamingTheModuleAndTokenCount()
    {
        using var finite = eye(2).expand(4, 2, 2).contiguous();
        using var broken = eye(2).expand(4, 2, 2).contiguous();
        broken[2, 0, 1] = tensor(float.NaN);
        broken[3, 1, 1] = tensor(float.PositiveInfinity);
        using var model = new PlantedStack([new FixedOutput(finite), new FixedOutput(broken)]);
        using var tokens = Tokens(1);

        Assert.That(() => MixerProbe.Capture(model, tokens, model.Names),
            Throws.ArgumentException.With.Message.Contains("module 'blocks.1' output holds NaN or infinity in 2 of 4 tokens"));
    }

    [Test]
    public void HooksThatNeverFireAreAnErrorNamingTheModulesAndTheFix()
    {
        using var mixer = eye(2).unsqueeze(0);
        using var model = new PlantedStack([new FixedOutput(mixer), new FixedOutput(mixer)], throughCall: false);
        using var tokens = Tokens(1);

        var error = Assert.Throws<HooksNeverFiredException>(() => MixerProbe.Capture(model, tokens, model.Names));

        Assert.That(error!.Modules, Is.EqualTo(new[] { "blocks.0", "blocks.1" }));
        Assert.That(error.Message, Does.StartWith("mixer probe:").And.Contain("blocks.0.call(x)"));
    }

    [Test]
    public void ModulesNamedOutOfDepthOrderAreAnError()
    {
        // Named [blocks.1, blocks.0], the product would be H_1 H_2 instead of H_2 H_1: refused, not measured.
        using var model = new PlantedStack([Stack([Identity(2)]), Stack([Identity(2)])]);
        using var tokens = Tokens(1);

        Assert.That(() => MixerProbe.Capture(model, tokens, "blocks.1", "blocks.0"),
            Throws.InvalidOperationException.With.Message.Contains("module 'blocks.0' ran where 'blocks.1' was next").And.Message.Contains("depth order"));
    }

    [Test]
    public void DiffOfTwoSignatureFilesReportsTheMixerLayerWhoseCompositeGainGrew()
    {
        // The same planted stack at row sums 1 and 1.05: the gain at depth 6 goes 1 -> 1.05^6 = 1.3401 (34 %).
        SpectralSignature Signature(double rowSum)
        {
            using var model = HyperConnections(rowSum);
            using var tokens = Tokens(8);
            return new SpectralSignature
            {
                Model = new ModelInfo("planted-hyper-connections", "module", "0", 0), Settings = new SortedDictionary<string, string>(),
                Layers = MixerProbe.Capture(model, tokens, model.Names), Skipped = [],
            };
        }
        string folder = TestPaths.NewScratchFolder();
        string constrained = Path.Combine(folder, "mhc.json"), grown = Path.Combine(folder, "hc.json");
        BaselineFile.Write(constrained, Signature(1), new TolerancePolicy());
        BaselineFile.Write(grown, Signature(1.05), new TolerancePolicy());

        var same = CliRunner.Run("diff", constrained, constrained);
        var changed = CliRunner.Run("diff", constrained, grown);

        Assert.That(same.ExitCode, Is.EqualTo(0), same.Output + same.Error);
        Assert.That(changed.ExitCode, Is.EqualTo(1), changed.Output + changed.Error);
        Assert.That(changed.Output, Does.Contain("probe:mixer/blocks.5").And.Contain(ProbeMetricNames.CompositeGain).And.Contain("1.34"));
    }

    [Test]
    public void TheLayersAreTheSameBytesOnOneAndTwoThreads()
    {
        // 2048 tokens of mixers that are neither normal nor constrained, so svdvals, products and sums all have work to split.
        using var generator = new Generator(9);
        using var mixers = (rand(2048, 4, 4, dtype: ScalarType.Float64, generator: generator) * 0.6).to(ScalarType.Float32);
        using var model = new PlantedStack([mixers, mixers.transpose(1, 2).contiguous(), mixers.flip(0).contiguous(), mixers]);
        using var tokens = Tokens(2048);
        byte[] Bytes() => SignatureJson.ToBytes(new SpectralSignature
        {
            Model = new ModelInfo("planted", "module", "0", 0), Settings = new SortedDictionary<string, string>(),
            Layers = MixerProbe.Capture(model, tokens, model.Names), Skipped = [],
        });
        int saved = get_num_threads();
        byte[] one, two;
        try
        {
            set_num_threads(1);
            one = Bytes();
            set_num_threads(2);
            two = Bytes();
        }
        finally
        {
            set_num_threads(saved);
        }

        Assert.That(two, Is.EqualTo(one));
    }

    [Test]
    public void SignedMixersHaveTheSpectralNormsAndProductNormsOfLapack()
    {
        // Non-normal, signed 5 × 5 mixers: the probe's norms (Jacobi on the Gram) against libtorch's svdvals of the mixers and
        // of their explicit products, to 1e-14 and 1e-13 relative.
        using var generator = new Generator(13);
        var depths = Enumerable.Range(0, 4).Select(_ => randn(64, 5, 5, dtype: ScalarType.Float64, generator: generator)).ToList();
        using var model = new PlantedStack(depths);
        using var tokens = Tokens(64);

        var layers = MixerProbe.Capture(model, tokens, model.Names);

        var product = eye(5, dtype: ScalarType.Float64).expand(64, 5, 5);
        Assert.Multiple(() =>
        {
            for (int l = 0; l < depths.Count; l++)
            {
                product = depths[l].matmul(product);
                double[] norms = linalg.svdvals(depths[l]).select(-1, 0).data<double>().ToArray();
                double[] gains = linalg.svdvals(product).select(-1, 0).data<double>().ToArray();
                Array.Sort(norms);
                Array.Sort(gains);
                Assert.That(layers[l][MetricNames.SpectralNorm], Is.EqualTo(norms[^1]).Within(1e-12).Percent, $"depth {l + 1}");
                // 64 tokens: p50 at h = 31.5, p95 at h = 59.85.
                Assert.That(layers[l][ProbeMetricNames.SpectralNormP50], Is.EqualTo((norms[31] + norms[32]) / 2).Within(1e-12).Percent);
                Assert.That(layers[l][ProbeMetricNames.SpectralNormP95], Is.EqualTo(norms[59] + 0.85 * (norms[60] - norms[59])).Within(1e-12).Percent);
                Assert.That(layers[l][ProbeMetricNames.CompositeGain], Is.EqualTo(gains[^1]).Within(1e-11).Percent, $"depth {l + 1}");
                Assert.That(layers[l][ProbeMetricNames.CompositeGainP50], Is.EqualTo((gains[31] + gains[32]) / 2).Within(1e-11).Percent);
            }
        });
    }

    [Test]
    public void ASquareOutputWiderThanAnyMixerIsAnErrorAskingWhetherItIsTheMixerModule()
    {
        using var scores = zeros(1, 2, 128, 128); // attention scores, say
        using var model = new PlantedStack([new FixedOutput(scores)]);
        using var tokens = Tokens(1);

        Assert.That(() => MixerProbe.Capture(model, tokens, model.Names),
            Throws.ArgumentException.With.Message.Contains("module 'blocks.0'").And.Message.Contains("128 streams").And.Message.Contains("H_res"));
    }
}
