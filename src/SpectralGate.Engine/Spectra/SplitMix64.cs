namespace SpectralGate.Engine.Spectra;

/// <summary>
/// Vigna's SplitMix64 generator (the seeder of the xoshiro family, <c>prng.di.unimi.it/splitmix64.c</c>): a fixed,
/// documented stream, the same on every machine and .NET version, unlike <see cref="Random"/>.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
