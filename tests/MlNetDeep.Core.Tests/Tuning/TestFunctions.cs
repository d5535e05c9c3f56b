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

    /// <summary>
    /// The functions the optimizers are compared on (tests and the benchmark's <c>regret</c> command; the same
    /// definitions are in <c>eng/optuna_regret.py</c>): two smooth ones, Branin and Hartmann-6, and multimodal ones
    /// with many local minima, Rastrigin, Levy, Michalewicz and Ackley, on their usual domains.
    /// </summary>
    public static IReadOnlyList<Problem> Problems { get; } =
    [
        new("branin", [-5, 0], [10, 15], BraninMinimum, x => Branin(x[0], x[1])),
        new("hartmann6", Repeat(0, 6), Repeat(1, 6), Hartmann6Minimum, x => Hartmann6(x)),
        new("rastrigin4", Repeat(-5.12, 4), Repeat(5.12, 4), 0, x => Rastrigin(x)),
        new("rastrigin6", Repeat(-5.12, 6), Repeat(5.12, 6), 0, x => Rastrigin(x)),
        new("levy4", Repeat(-10, 4), Repeat(10, 4), 0, x => Levy(x)),
        new("levy6", Repeat(-10, 6), Repeat(10, 6), 0, x => Levy(x)),
        new("michalewicz5", Repeat(0, 5), Repeat(Math.PI, 5), Michalewicz5Minimum, x => Michalewicz(x)),
        new("ackley4", Repeat(-32.768, 4), Repeat(32.768, 4), 0, x => Ackley(x)),
        new("ackley6", Repeat(-32.768, 6), Repeat(32.768, 6), 0, x => Ackley(x)),
        new("rastrigin4off", Repeat(-2, 4), Repeat(8.24, 4), 0, x => Rastrigin(x)),
        new("styblinski4", Repeat(-5, 4), Repeat(5, 4), 4 * StyblinskiTangMinimumPerDimension, x => StyblinskiTang(x)),
    ];

    /// <summary>The Styblinski–Tang minimum per coordinate, reached at xᵢ = −2.903534.</summary>
    public const double StyblinskiTangMinimumPerDimension = -39.16616570377141;

    /// <summary>The 5-D Michalewicz minimum (m = 10).</summary>
    public const double Michalewicz5Minimum = -4.687658179;

    /// <summary>The problem named <paramref name="name"/> in <see cref="Problems"/>.</summary>
    public static Problem Find(string name) => Problems.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"Unknown function '{name}'; use one of {string.Join(", ", Problems.Select(p => p.Name))}. Received: {name}.", nameof(name));

    /// <summary>Rastrigin: <c>10d + Σ(xᵢ² − 10·cos 2πxᵢ)</c>, minimum 0 at the origin, ~10ᵈ local minima on [−5.12, 5.12]ᵈ.</summary>
    public static double Rastrigin(ReadOnlySpan<double> x)
    {
        var sum = 10.0 * x.Length;
        foreach (var v in x)
        {
            sum += (v * v) - (10 * Math.Cos(2 * Math.PI * v));
        }

        return sum;
    }

    /// <summary>
    /// Levy: with <c>wᵢ = 1 + (xᵢ − 1)/4</c>, <c>sin²(πw₁) + Σ over i below d of (wᵢ − 1)²(1 + 10 sin²(πwᵢ + 1)) + (w_d − 1)²(1 + sin²(2πw_d))</c>,
    /// minimum 0 at (1, …, 1).
    /// </summary>
    public static double Levy(ReadOnlySpan<double> x)
    {
        var d = x.Length;
        var first = Math.Sin(Math.PI * W(x[0]));
        var sum = first * first;
        for (var i = 0; i < d - 1; i++)
        {
            var w = W(x[i]);
            var s = Math.Sin((Math.PI * w) + 1);
            sum += (w - 1) * (w - 1) * (1 + (10 * s * s));
        }

        var last = W(x[d - 1]);
        var t = Math.Sin(2 * Math.PI * last);
        return sum + ((last - 1) * (last - 1) * (1 + (t * t)));

        static double W(double v) => 1 + ((v - 1) / 4);
    }

    /// <summary>Michalewicz (m = 10): <c>−Σᵢ sin(xᵢ)·sin²ᵐ(i·xᵢ²/π)</c> on [0, π]ᵈ, steep narrow valleys.</summary>
    public static double Michalewicz(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum -= Math.Sin(x[i]) * Math.Pow(Math.Sin((i + 1) * x[i] * x[i] / Math.PI), 20);
        }

        return sum;
    }

    /// <summary>Ackley: <c>−20·exp(−0.2·√(Σxᵢ²/d)) − exp(Σcos(2πxᵢ)/d) + 20 + e</c>, minimum 0 at the origin.</summary>
    public static double Ackley(ReadOnlySpan<double> x)
    {
        double squares = 0, cosines = 0;
        foreach (var v in x)
        {
            squares += v * v;
            cosines += Math.Cos(2 * Math.PI * v);
        }

        return (-20 * Math.Exp(-0.2 * Math.Sqrt(squares / x.Length))) - Math.Exp(cosines / x.Length) + 20 + Math.E;
    }

    /// <summary>Styblinski–Tang: <c>½Σ(xᵢ⁴ − 16xᵢ² + 5xᵢ)</c> on [−5, 5]ᵈ, 2ᵈ local minima, the global one off-centre.</summary>
    public static double StyblinskiTang(ReadOnlySpan<double> x)
    {
        var sum = 0.0;
        foreach (var v in x)
        {
            sum += (v * v * v * v) - (16 * v * v) + (5 * v);
        }

        return 0.5 * sum;
    }

    private static double[] Repeat(double value, int count) => Enumerable.Repeat(value, count).ToArray();

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

/// <summary>
/// A benchmark function on a box: its search space has one float parameter per coordinate, named <c>x0</c>,
/// <c>x1</c>, …, and <see cref="Regret"/> is the distance of a value above the known minimum.
/// </summary>
internal sealed record Problem(string Name, double[] Lower, double[] Upper, double Minimum, Func<double[], double> Function)
{
    public int Dimensions => Lower.Length;

    public SearchSpace Space()
    {
        var space = new SearchSpace();
        for (var j = 0; j < Dimensions; j++)
        {
            space.AddFloat($"x{j}", Lower[j], Upper[j]);
        }

        return space;
    }

    public double Evaluate(ParameterSet parameters)
    {
        var x = new double[Dimensions];
        for (var j = 0; j < x.Length; j++)
        {
            x[j] = parameters.GetDouble($"x{j}");
        }

        return Function(x);
    }

    public double Regret(double value) => value - Minimum;
}
