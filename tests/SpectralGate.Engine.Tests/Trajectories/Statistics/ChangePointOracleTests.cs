using MathNet.Numerics.LinearAlgebra;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

/// <summary>
/// The change-point scan's closed forms against plain least squares: for every split, MathNet's QR solve of the full
/// design ([1, u, I, I·u], [1, u, I] or [1, I]) gives RSS₁, the no-change design RSS₀, and the largest F and its split
/// must be the engine's. Shares nothing with the engine's running sums.
/// </summary>
public class ChangePointOracleTests
{
    [TestCase(ChangePointModel.TwoLines)]
    [TestCase(ChangePointModel.LevelShift)]
    [TestCase(ChangePointModel.MeanShift)]
    public void TheSupFAndItsSplitAreThoseOfPlainLeastSquares(ChangePointModel model)
    {
        // Irregular steps (log-spaced early, as the monitor records) and a bend plus a small step, so no model fits exactly.
        double[] noise = Gaussian(30, seed: 99);
        var steps = Enumerable.Range(0, 30).Select(i => i < 10 ? (long)Math.Round(10 * Math.Pow(1.6, i)) : 700L + 120 * i).ToArray();
        var points = steps.Select((s, i) => new TrajectoryPoint(s, (s < 2_000 ? 0.001 * s : 2 - 0.0005 * (s - 2_000)) + (i >= 18 ? 0.4 : 0) + 0.1 * noise[i])).ToList();

        var result = ChangePoints.Find(points, new ChangePointOptions { Model = model, Permutations = 19 });

        var (bestK, bestF) = OracleSupF(points, model, minSegment: 3);
        Assert.That(result.Index, Is.EqualTo(bestK));
        Assert.That(result.F, Is.EqualTo(bestF).Within(1e-8).Percent);
    }

    private static (int K, double F) OracleSupF(IReadOnlyList<TrajectoryPoint> points, ChangePointModel model, int minSegment)
    {
        int n = points.Count;
        double first = points[0].Step, span = points[^1].Step - first;
        var u = points.Select(p => (p.Step - first) / span).ToArray();
        var y = Vector<double>.Build.DenseOfEnumerable(points.Select(p => p.Value!.Value));
        bool line = model != ChangePointModel.MeanShift;
        int q = model == ChangePointModel.TwoLines ? 2 : 1;

        double Rss(Func<int, double[]> row)
        {
            var x = Matrix<double>.Build.DenseOfRowArrays(Enumerable.Range(0, n).Select(row));
            var beta = x.QR().Solve(y);
            return (y - x * beta).DotProduct(y - x * beta);
        }

        double rss0 = Rss(i => line ? [1, u[i]] : [1]);
        int bestK = -1;
        double bestF = double.NegativeInfinity;
        for (int k = minSegment; k <= n - minSegment; k++)
        {
            double rss1 = Rss(i =>
            {
                double ind = i >= k ? 1 : 0;
                return model switch
                {
                    ChangePointModel.TwoLines => [1, u[i], ind, ind * u[i]],
                    ChangePointModel.LevelShift => [1, u[i], ind],
                    _ => [1, ind],
                };
            });
            double f = (rss0 - rss1) / q / (rss1 / (n - (line ? 2 : 1) - q));
            if (f > bestF) { bestF = f; bestK = k; }
        }
        return (bestK, bestF);
    }
}
