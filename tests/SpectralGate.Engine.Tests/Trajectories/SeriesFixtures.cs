using SpectralGate.Engine.Sources.Safetensors;

namespace SpectralGate.Engine.Tests.Trajectories;

/// <summary>Small checkpoints of a pretend training run: two layers whose values depend on the seed.</summary>
internal static class SeriesFixtures
{
    public static string Checkpoint(string folder, string name, int seed)
    {
        string path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafetensorsWriter.Write(path, [SafetensorsWriter.Float32("fc1.weight", [24, 16], Values(24 * 16, seed)), SafetensorsWriter.Float32("fc2.weight", [16, 12], Values(16 * 12, seed + 1000))]);
        return path;
    }

    // A fixed LCG, so the bytes are the same on every machine and run.
    private static float[] Values(int count, int seed)
    {
        var values = new float[count];
        ulong state = (ulong)seed * 6364136223846793005UL + 1442695040888963407UL;
        for (int i = 0; i < count; i++)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            values[i] = (float)((state >> 11) * (1.0 / (1UL << 53)) - 0.5);
        }
        return values;
    }
}
