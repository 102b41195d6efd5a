namespace SpectralGate.Engine.Spectra;

/// <summary>
/// Turns the Ritz values of a block Lanczos run into a full spectrum of <c>rank</c> eigenvalues. Converged Ritz values
/// at the top are eigenvalues and count once each. The rest are Gauss quadrature nodes whose weights estimate how many
/// eigenvalues lie near them (stochastic Lanczos quadrature, Ubaru, Chen and Saad 2017); the remaining eigenvalues are
/// read off the inverse of that cumulative distribution, linear between nodes, and scaled so that Σλ equals the known
/// trace ‖W‖²_F (exactly, unless that would lift a value above the highest node).
/// </summary>
public static class RitzQuadrature
{
    /// <summary>Quadrature weight from which a converged Ritz value is taken to stand for more than one eigenvalue.</summary>
    public const double RepeatedWeight = 1.5;

    /// <param name="ritzValues">Ritz values (any order).</param>
    /// <param name="weights">Quadrature weight of each Ritz value (estimated eigenvalue count near it), same order.</param>
    /// <param name="converged">Whether each Ritz value is converged to an eigenvalue, same order.</param>
    /// <param name="rank">Number of eigenvalues to return: the smaller side of the matrix.</param>
    /// <param name="trace">Σλ = ‖W‖²_F, computed exactly.</param>
    /// <returns><paramref name="rank"/> eigenvalues, descending, ≥ 0.</returns>
    public static double[] Reconstruct(double[] ritzValues, double[] weights, bool[] converged, int rank, double trace)
    {
        int k = ritzValues.Length;
        if (weights.Length != k || converged.Length != k) throw new ArgumentException("one weight and one convergence flag per Ritz value.");
        int[] order = Enumerable.Range(0, k).OrderByDescending(i => ritzValues[i]).ThenBy(i => i).ToArray();

        var result = new List<double>(rank);
        var pool = new List<(double Value, double Weight)>();
        int top = 0;
        while (top < order.Length && top < rank && converged[order[top]])
        {
            int i = order[top++];
            result.Add(Math.Max(0, ritzValues[i]));
            // A weight well above one means an eigenvalue repeated more often than the block holds probes for: the
            // copies beyond the first stay as mass at this value. Below 1.5 it is the probes' noise (sd √(2/block)).
            if (weights[i] >= RepeatedWeight) pool.Add((Math.Max(0, ritzValues[i]), weights[i] - 1));
        }
        pool.AddRange(order.Skip(top).Select(i => (Math.Max(0, ritzValues[i]), Math.Max(0, weights[i]))));

        int remaining = rank - result.Count;
        if (remaining > 0)
        {
            var nodes = pool.OrderByDescending(n => n.Value).ToArray();
            double totalWeight = nodes.Sum(n => n.Weight);
            var bulk = new double[remaining];
            if (nodes.Length == 0 || totalWeight <= 0)
            {
                // Every Ritz value converged and no mass is left: the Krylov space held the whole range, the rest is 0.
                Array.Fill(bulk, 0.0);
            }
            else
            {
                // Positions of the nodes on the rank axis: the middle of the mass each one stands for.
                double scale = remaining / totalWeight;
                var position = new double[nodes.Length];
                double cumulative = 0;
                for (int i = 0; i < nodes.Length; i++)
                {
                    double w = nodes[i].Weight * scale;
                    position[i] = cumulative + w / 2;
                    cumulative += w;
                }
                int node = 0;
                for (int j = 0; j < remaining; j++)
                {
                    double p = j + 0.5;
                    while (node + 1 < nodes.Length && position[node + 1] <= p) node++;
                    if (p <= position[0]) bulk[j] = nodes[0].Value;
                    else if (node + 1 >= nodes.Length) bulk[j] = nodes[^1].Value;
                    else
                    {
                        double t = (p - position[node]) / (position[node + 1] - position[node]);
                        bulk[j] = nodes[node].Value + t * (nodes[node + 1].Value - nodes[node].Value);
                    }
                }
                double wanted = trace - result.Sum();
                double have = bulk.Sum();
                // Scaled, but never above the highest node: a repeated top value must stay exactly where it converged.
                if (have > 0 && wanted > 0)
                    for (int j = 0; j < remaining; j++) bulk[j] = Math.Min(bulk[j] * (wanted / have), nodes[0].Value);
            }
            result.AddRange(bulk);
        }

        double[] values = result.ToArray();
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }
}
