using TorchSharp;
using static TorchSharp.torch;

namespace SampleModels;

/// <summary>
/// 12x12 grey images of one bar (horizontal, vertical, diagonal or anti-diagonal) at a random position, with noise:
/// a task a small CNN learns in seconds, made on the fly so the sample needs no download.
/// </summary>
internal static class BarsDataset
{
    public const int Size = 12;
    public const int Classes = 4;

    public static (Tensor Images, Tensor Labels) Make(int count, Generator generator)
    {
        var images = zeros(count, 1, Size, Size);
        var labels = randint(0, Classes, [count], generator: generator);
        var offsets = randint(2, Size - 2, [count], generator: generator);
        long[] l = labels.data<long>().ToArray();
        long[] o = offsets.data<long>().ToArray();
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < Size; i++)
            {
                (long r, long c) = l[n] switch
                {
                    0 => (o[n], (long)i),
                    1 => ((long)i, o[n]),
                    2 => ((long)i, (i + o[n]) % Size),
                    _ => ((long)i, (Size - 1 - i + o[n]) % Size),
                };
                images[n, 0, r, c] = 1.0f;
            }
        }
        images += 0.3f * randn(images.shape, generator: generator);
        return (images, labels);
    }
}
