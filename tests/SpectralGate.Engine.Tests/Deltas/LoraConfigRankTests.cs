using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Deltas;

/// <summary>
/// The config's rank against the factors' rank: PEFT builds each module with r from <c>rank_pattern</c> (else <c>r</c>) and
/// then fails to load factors of another rank, so a disagreement is refused, never read with alpha over the wrong rank.
/// </summary>
public class LoraConfigRankTests
{
    private const string Q = "model.layers.0.self_attn.q_proj", V = "model.layers.0.self_attn.v_proj";

    private static string Adapter(string configJson, params (string Module, int Rank)[] modules)
    {
        string folder = TestPaths.NewScratchFolder();
        File.WriteAllText(Path.Combine(folder, LoraAdapter.ConfigFile), configJson);
        var tensors = new List<SafetensorsWriter.Tensor>();
        int seed = 7;
        foreach (var (module, rank) in modules)
        {
            tensors.Add(DeltaFixtures.Float64($"base_model.model.{module}.lora_A.weight", DeltaFixtures.Gaussian(rank, 24, seed++)));
            tensors.Add(DeltaFixtures.Float64($"base_model.model.{module}.lora_B.weight", DeltaFixtures.Gaussian(32, rank, seed++)));
        }
        SafetensorsWriter.Write(Path.Combine(folder, LoraAdapter.WeightsFile), tensors);
        return folder;
    }

    [Test]
    public void AConfigRankOtherThanTheFactorsRankIsRefusedNamingConfigTensorAndBothRanks()
    {
        string folder = Adapter("""{"peft_type": "LORA", "r": 1024, "lora_alpha": 16}""", (Q, 4));

        var error = Assert.Throws<ModelFormatException>(() => LoraAdapter.Open(folder));

        Assert.Multiple(() =>
        {
            Assert.That(error!.FilePath, Is.EqualTo(Path.Combine(folder, LoraAdapter.ConfigFile)));
            Assert.That(error.Message, Does.Contain($"base_model.model.{Q}.lora_A.weight"));
            Assert.That(error.Message, Does.Contain("rank 4").And.Contain("r = 1024"));
        });
    }

    [Test]
    public void RankAndAlphaPatternsGivePerModuleRanksAndScalesAsPeftDoes()
    {
        // PEFT's get_pattern_key: 'q_proj' matches '...self_attn.q_proj' through (.*\.)?; an exact key wins over a regex.
        string folder = Adapter("""
            {"peft_type": "LORA", "r": 8, "lora_alpha": 16,
             "rank_pattern": {"q_proj": 4},
             "alpha_pattern": {"model.layers.0.self_attn.v_proj": 32, "v_proj": 64}}
            """, (Q, 4), (V, 8));

        using var adapter = LoraAdapter.Open(folder);

        Assert.Multiple(() =>
        {
            Assert.That(adapter.Modules.Single(m => m.Target == Q + ".weight").Scale, Is.EqualTo(16.0 / 4));
            Assert.That(adapter.Modules.Single(m => m.Target == V + ".weight").Scale, Is.EqualTo(32.0 / 8));
        });
    }

    [Test]
    public void ARankPatternThatDisagreesWithItsModuleIsRefusedNamingThePattern()
    {
        string folder = Adapter("""{"peft_type": "LORA", "r": 4, "lora_alpha": 16, "rank_pattern": {"q_proj": 16}}""", (Q, 4), (V, 4));

        var error = Assert.Throws<ModelFormatException>(() => LoraAdapter.Open(folder));

        Assert.That(error!.Message, Does.Contain("rank_pattern['q_proj'] = 16").And.Contain("rank 4").And.Contain("q_proj.lora_A.weight"));
    }

    [Test]
    public void APatternKeyThatIsNotARegularExpressionIsAConfigError()
    {
        string folder = Adapter("""{"peft_type": "LORA", "r": 4, "rank_pattern": {"q_proj(": 4}}""", (Q, 4));

        var error = Assert.Throws<ModelFormatException>(() => LoraAdapter.Open(folder));

        Assert.That(error!.Message, Does.Contain("rank_pattern").And.Contain("q_proj("));
    }
}
