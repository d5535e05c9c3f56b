using System.Runtime.CompilerServices;

namespace MlNetDeep.Tuning;

/// <summary>
/// A small limited-memory BFGS minimizer for smooth unconstrained problems of a few dozen variables (the
/// Gaussian process's hyperparameters): two-loop recursion over the last <c>m</c> steps and a backtracking
/// Armijo line search. A function value of +∞ or NaN (e.g. a failed Cholesky factorization) counts as "too
/// far" and makes the line search step back.
/// </summary>
internal static class Lbfgs
{
    /// <summary>A function returning <c>f(x)</c> and writing <c>∇f(x)</c> into the second argument.</summary>
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>Minimizes <paramref name="f"/> from <paramref name="x"/> (updated in place); returns the final value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Minimize(Objective f, double[] x, int maxIterations, int memory = 6, double gradientTolerance = 1e-5)
    {
        var n = x.Length;
        var g = new double[n];
        var value = f(x, g);
        if (!double.IsFinite(value))
        {
            return value;
        }

        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        var alpha = new double[memory];
        var count = 0;
        var direction = new double[n];
        var candidate = new double[n];
        var candidateGradient = new double[n];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            if (Norm(g) < gradientTolerance)
            {
                break;
            }

            // Two-loop recursion: direction = −H·g.
            g.CopyTo(direction, 0);
            for (var k = count - 1; k >= Math.Max(0, count - memory); k--)
            {
                var slot = k % memory;
                alpha[slot] = rho[slot] * Dot(s[slot], direction);
                Axpy(-alpha[slot], y[slot], direction);
            }

            if (count > 0)
            {
                var last = (count - 1) % memory;
                var gamma = Dot(s[last], y[last]) / Dot(y[last], y[last]);
                Scale(gamma, direction);
            }
            else
            {
                Scale(1 / Math.Max(1, Norm(g)), direction);
            }

            for (var k = Math.Max(0, count - memory); k < count; k++)
            {
                var slot = k % memory;
                var beta = rho[slot] * Dot(y[slot], direction);
                Axpy(alpha[slot] - beta, s[slot], direction);
            }

            Scale(-1, direction);
            var slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction: restart from steepest descent.
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -g[i] / Math.Max(1, Norm(g));
                }

                slope = Dot(g, direction);
                count = 0;
            }

            var step = 1.0;
            double newValue;
            var accepted = false;
            for (var trial = 0; trial < 30; trial++)
            {
                for (var i = 0; i < n; i++)
                {
                    candidate[i] = x[i] + (step * direction[i]);
                }

                newValue = f(candidate, candidateGradient);
                if (double.IsFinite(newValue) && newValue <= value + (1e-4 * step * slope))
                {
                    accepted = true;
                    var slot = count % memory;
                    s[slot] ??= new double[n];
                    y[slot] ??= new double[n];
                    for (var i = 0; i < n; i++)
                    {
                        s[slot][i] = candidate[i] - x[i];
                        y[slot][i] = candidateGradient[i] - g[i];
                    }

                    var sy = Dot(s[slot], y[slot]);
                    if (sy > 1e-12)
                    {
                        rho[slot] = 1 / sy;
                        count++;
                    }

                    var improvement = value - newValue;
                    candidate.CopyTo(x, 0);
                    candidateGradient.CopyTo(g, 0);
                    value = newValue;
                    if (improvement < 1e-10 * Math.Max(1, Math.Abs(value)))
                    {
                        return value;
                    }

                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                break;
            }
        }

        return value;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    private static void Axpy(double a, double[] x, double[] y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Scale(double a, double[] x)
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }
}
