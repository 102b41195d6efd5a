using NUnit.Framework.Constraints;
using SpectralAssert.Assertions;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralAssert.Tests.Snapshots;

/// <summary>
/// The assertions of the README's first test (its layer glob pointed at the sample's <c>fc1.weight</c>) pass on the trained
/// sample and fail on the same checkpoint with a re-initialised layer and on noise: they catch a layer that learned nothing.
/// </summary>
public class ReadmeExampleTests
{
    private static string Sample => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    private static IConstraint[] ReadmeAssertions() =>
    [
        Spectrum.AllLayers.Are.Finite,
        Spectrum.AllLayers.Are.Not.RandomLike,
        Spectrum.Layers("fc1.weight").Alpha.InRange(2, 6),
        Spectrum.LayersOfKind(LayerKind.Linear).StableRank.AtLeast(1.5),
    ];

    private static string[] Failing(string model) =>
        ReadmeAssertions().Where(c => !c.ApplyTo(model).IsSuccess).Select(c => c.Description).ToArray();

    /// <summary>The sample with the named tensors replaced by <paramref name="replace"/>, as float32 safetensors.</summary>
    private static string Rewritten(Func<string, long[], Tensor?> replace)
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "model.safetensors");
        var tensors = new List<SafetensorsWriter.Tensor>();
        using (var source = new SafetensorsFileSource(Sample))
            foreach (var entry in source.Tensors)
            {
                using var original = entry.Load(CPU, ScalarType.Float32);
                using var replaced = replace(entry.Name, entry.Shape);
                var values = (replaced ?? original).contiguous().data<float>().ToArray();
                tensors.Add(SafetensorsWriter.Float32(entry.Name, entry.Shape, values));
            }
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    [Test]
    public void TheReadmeAssertionsPassOnTheTrainedSample()
    {
        Assert.That(Failing(Sample), Is.Empty);
    }

    [Test]
    public void TheReadmeAssertionsFailOnAReinitialisedLayer()
    {
        torch.manual_seed(3);
        string model = Rewritten((name, shape) =>
        {
            if (name != "fc1.weight") return null;
            var w = empty(shape);
            nn.init.kaiming_uniform_(w, a: Math.Sqrt(5)); // nn.Linear's own initialisation: a layer that was never loaded
            return w;
        });

        Assert.That(Failing(model), Does.Contain(Spectrum.AllLayers.Are.Not.RandomLike.Description));
    }

    [Test]
    public void TheReadmeAssertionsFailOnNoise()
    {
        var generator = new Generator(4);
        string model = Rewritten((name, shape) => shape.Length >= 2 ? rand(shape, generator: generator) - 0.5 : null);

        Assert.That(Failing(model), Does.Contain(Spectrum.AllLayers.Are.Not.RandomLike.Description));
    }
}
