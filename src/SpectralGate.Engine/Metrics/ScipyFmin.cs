namespace SpectralGate.Engine.Metrics;

/// <summary>
/// scipy's <c>optimize.fmin</c> (Nelder–Mead, <c>_minimize_neldermead</c> of scipy 1.10 with its defaults: xatol = fatol = 1e-4,
/// at most 200 iterations and 200 evaluations, initial simplex x₀ and 1.05·x₀) in one dimension, step for step, because
/// <c>optimize.brute</c> polishes its grid optimum with it and WeightWatcher's σ is that polished value.
/// </summary>
internal static class ScipyFmin
{
    public static double Minimize(Func<double, double> f, double x0)
    {
        const double tolerance = 1e-4;
        const int limit = 200;
        double[] x = [x0, x0 != 0 ? 1.05 * x0 : 0.00025];
        double[] fx = [f(x[0]), f(x[1])];
        int calls = 2, iterations = 1;
        Sort(x, fx);
        while (calls < limit && iterations < limit)
        {
            if (Math.Abs(x[1] - x[0]) <= tolerance && Math.Abs(fx[0] - fx[1]) <= tolerance) break;
            double centre = x[0];
            double reflected = 2 * centre - x[1], fReflected = f(reflected);
            calls++;
            bool shrink = false;
            if (fReflected < fx[0])
            {
                double expanded = 3 * centre - 2 * x[1], fExpanded = f(expanded);
                calls++;
                if (fExpanded < fReflected) (x[1], fx[1]) = (expanded, fExpanded);
                else (x[1], fx[1]) = (reflected, fReflected);
            }
            else if (fReflected < fx[1])
            {
                double contracted = 1.5 * centre - 0.5 * x[1], fContracted = f(contracted);
                calls++;
                if (fContracted <= fReflected) (x[1], fx[1]) = (contracted, fContracted);
                else shrink = true;
            }
            else
            {
                double inside = 0.5 * centre + 0.5 * x[1], fInside = f(inside);
                calls++;
                if (fInside < fx[1]) (x[1], fx[1]) = (inside, fInside);
                else shrink = true;
            }
            if (shrink)
            {
                x[1] = x[0] + 0.5 * (x[1] - x[0]);
                fx[1] = f(x[1]);
                calls++;
            }
            iterations++;
            Sort(x, fx);
        }
        return x[0];
    }

    // np.argsort on two values keeps their order on a tie.
    private static void Sort(double[] x, double[] fx)
    {
        if (fx[1] < fx[0]) { (x[0], x[1]) = (x[1], x[0]); (fx[0], fx[1]) = (fx[1], fx[0]); }
    }
}
