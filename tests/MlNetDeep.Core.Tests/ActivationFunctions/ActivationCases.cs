using MlNetDeep.ActivationFunctions;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>
/// One elementwise activation under test: how to create it, its definition and derivative in double
/// precision (written independently of the kernels), and the points where it has a kink or jump.
/// </summary>
internal sealed record ActivationCase(
    string Name,
    Func<ActivationFunction> Create,
    Func<double, double> Value,
    Func<double, double> Derivative,
    double[] Kinks);

/// <summary>Every elementwise activation configuration the tests cover, with double-precision references.</summary>
internal static class ActivationCases
{
    private const double SeluLambda = 1.0507009873554805;
    private const double SeluAlpha = 1.6732632423543772;
    private const double TanhGeluC = 0.7978845608028654; // √(2/π)

    public static readonly ActivationCase[] All =
    [
        new("linear", () => ActivationFunction.Create(Activation.Linear), x => x, _ => 1, []),
        new("sigmoid", () => ActivationFunction.Create(Activation.Sigmoid), Sigmoid, x => Sigmoid(x) * (1 - Sigmoid(x)), []),
        new("hard_sigmoid", () => ActivationFunction.Create(Activation.HardSigmoid), x => HardSigmoid(x, 1.0 / 6), x => HardSigmoidDerivative(x, 1.0 / 6), [-3, 3]),
        new(
            "hard_sigmoid_keras2",
            () => ActivationFunction.Create(Activation.HardSigmoid, new ActivationSettings { HardSigmoidSlope = 0.2f }),
            x => HardSigmoid(x, 0.2),
            x => HardSigmoidDerivative(x, 0.2),
            [-2.5, 2.5]),
        new("tanh", () => ActivationFunction.Create(Activation.Tanh), Math.Tanh, x => 1 - (Math.Tanh(x) * Math.Tanh(x)), []),
        new("softsign", () => ActivationFunction.Create(Activation.Softsign), x => x / (1 + Math.Abs(x)), x => 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x))), []),
        new("softplus", () => ActivationFunction.Create(Activation.Softplus), Softplus, Sigmoid, []),
        new("relu", () => ActivationFunction.Create(Activation.ReLU), x => Math.Max(x, 0), x => x > 0 ? 1 : 0, [0]),
        new("leaky_relu", () => ActivationFunction.Create(Activation.LeakyReLU), x => x > 0 ? x : 0.01 * x, x => x > 0 ? 1 : 0.01, [0]),
        new("thresholded_relu", () => ActivationFunction.Create(Activation.ThresholdedReLU), x => x > 1 ? x : 0, x => x > 1 ? 1 : 0, [1]),
        new("elu", () => ActivationFunction.Create(Activation.ELU), x => x > 0 ? x : Math.Exp(x) - 1, x => x > 0 ? 1 : Math.Exp(x), [0]),
        new(
            "selu",
            () => ActivationFunction.Create(Activation.SELU),
            x => SeluLambda * (x > 0 ? x : SeluAlpha * (Math.Exp(x) - 1)),
            x => SeluLambda * (x > 0 ? 1 : SeluAlpha * Math.Exp(x)),
            [0]),
        new("gelu", () => ActivationFunction.Create(Activation.GELU), x => x * NormalCdf(x), x => NormalCdf(x) + (x * NormalPdf(x)), []),
        new(
            "gelu_tanh",
            () => ActivationFunction.Create(Activation.GELU, new ActivationSettings { GeluApproximateTanh = true }),
            x => 0.5 * x * (1 + Math.Tanh(TanhGeluC * (x + (0.044715 * x * x * x)))),
            GeluTanhDerivative,
            []),
        new("silu", () => ActivationFunction.Create(Activation.SiLU), x => x * Sigmoid(x), x => Sigmoid(x) * (1 + (x * (1 - Sigmoid(x)))), []),
        new("mish", () => ActivationFunction.Create(Activation.Mish), x => x * Math.Tanh(Softplus(x)), MishDerivative, []),
    ];

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static ActivationCase Get(string name) => All.Single(c => c.Name == name);

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double Softplus(double x)
    {
        var e = Math.Exp(-Math.Abs(x));
        return Math.Max(x, 0) + (e > 1e-8 ? Math.Log(1 + e) : e - (e * e / 2));
    }

    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    public static double NormalPdf(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);

    /// <summary>erfc in double: its Maclaurin series below 3 (relative error about 1e-9 at worst), a continued fraction above.</summary>
    public static double Erfc(double z)
    {
        if (z < 0)
        {
            return 2 - Erfc(-z);
        }

        if (z < 3)
        {
            double sum = 0, term = z;
            for (var n = 0; n < 200; n++)
            {
                var t = term / ((2 * n) + 1);
                sum += t;
                if (Math.Abs(t) <= 1e-17 * Math.Abs(sum))
                {
                    break;
                }

                term *= -z * z / (n + 1);
            }

            return 1 - (2 / Math.Sqrt(Math.PI) * sum);
        }

        var fraction = z;
        for (var k = 80; k >= 1; k--)
        {
            fraction = z + (k / 2.0 / fraction);
        }

        return Math.Exp(-z * z) / (Math.Sqrt(Math.PI) * fraction);
    }

    private static double HardSigmoid(double x, double slope) => Math.Clamp((slope * x) + 0.5, 0, 1);

    private static double HardSigmoidDerivative(double x, double slope)
    {
        var z = (slope * x) + 0.5;
        return z > 0 && z < 1 ? slope : 0;
    }

    private static double GeluTanhDerivative(double x)
    {
        var t = Math.Tanh(TanhGeluC * (x + (0.044715 * x * x * x)));
        return (0.5 * (1 + t)) + (0.5 * x * (1 - (t * t)) * TanhGeluC * (1 + (3 * 0.044715 * x * x)));
    }

    private static double MishDerivative(double x)
    {
        var t = Math.Tanh(Softplus(x));
        return t + (x * (1 - (t * t)) * Sigmoid(x));
    }
}
