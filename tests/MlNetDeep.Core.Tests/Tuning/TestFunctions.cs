using MlNetDeep.Tuning;

namespace MlNetDeep.Tests.Tuning;

/// <summary>Standard global-optimization benchmarks with known minima, as objectives over search spaces.</summary>
internal static class TestFunctions
{
    /// <summary>The Branin minimum, reached at (−π, 12.275), (π, 2.275) and (9.42478, 2.475).</summary>
    public const double BraninMinimum = 0.397887357729738;

    /// <summary>The Hartmann-6 minimum, reached at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).</summary>
    public const double Hartmann6Minimum = -3.32236801141551;

    private static readonly double[] HartmannAlpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] HartmannA =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] HartmannP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    public static SearchSpace BraninSpace() => new SearchSpace().AddFloat("x1", -5, 10).AddFloat("x2", 0, 15);

    /// <summary>Branin–Hoo: <c>a(x₂ − b·x₁² + c·x₁ − r)² + s(1 − t)cos x₁ + s</c>.</summary>
    public static double Branin(double x1, double x2)
    {
        const double B = 5.1 / (4 * Math.PI * Math.PI);
        const double C = 5 / Math.PI;
        const double T = 1 / (8 * Math.PI);
        var q = x2 - (B * x1 * x1) + (C * x1) - 6;
        return (q * q) + (10 * (1 - T) * Math.Cos(x1)) + 10;
    }

    public static double Branin(ParameterSet p) => Branin(p.GetDouble("x1"), p.GetDouble("x2"));

    public static SearchSpace Hartmann6Space()
    {
        var space = new SearchSpace();
        for (var j = 0; j < 6; j++)
        {
            space.AddFloat($"x{j}", 0, 1);
        }

        return space;
    }

    /// <summary>Hartmann-6: <c>−Σᵢ αᵢ·exp(−Σⱼ Aᵢⱼ(xⱼ − Pᵢⱼ)²)</c> on the unit cube.</summary>
    public static double Hartmann6(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                var d = x[j] - HartmannP[i, j];
                inner += HartmannA[i, j] * d * d;
            }

            sum -= HartmannAlpha[i] * Math.Exp(-inner);
        }

        return sum;
    }

    public static double Hartmann6(ParameterSet p)
    {
        Span<double> x = stackalloc double[6];
        for (var j = 0; j < 6; j++)
        {
            x[j] = p.GetDouble($"x{j}");
        }

        return Hartmann6(x);
    }

    /// <summary>A mixed space like a real tuning problem: a log-scale float, a linear float and a choice.</summary>
    public static SearchSpace MixedSpace() => new SearchSpace()
        .AddFloat("learningRate", 1e-5, 1, logScale: true)
        .AddFloat("momentum", 0, 1)
        .AddChoice("activation", "ReLU", "GELU", "SELU");

    /// <summary>
    /// The noise-free part of the noisy objective: minimum 0 at learningRate = 1e-2, momentum = 0.7,
    /// activation = GELU.
    /// </summary>
    public static double MixedTrue(ParameterSet p)
    {
        var logLr = Math.Log10(p.GetDouble("learningRate"));
        var m = p.GetDouble("momentum");
        var penalty = p.GetString("activation") switch
        {
            "GELU" => 0.0,
            "ReLU" => 0.3,
            _ => 0.6,
        };
        return (0.25 * (logLr + 2) * (logLr + 2)) + (2 * (m - 0.7) * (m - 0.7)) + penalty;
    }
}
