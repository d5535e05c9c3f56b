using MlNetDeep.ActivationFunctions;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>
/// Every analytic backward pass against central finite differences of <c>L(x) = Σ dyᵢ·f(x)ᵢ</c>, on random
/// inputs whose lengths are not multiples of the vector width; points within 0.05 of a kink are moved off it.
/// </summary>
public class ActivationGradientTests
{
    private static readonly int[] Lengths = [1, 3, 17, 33, 100];

    [Theory]
    [MemberData(nameof(ActivationCases.Names), MemberType = typeof(ActivationCases))]
    public void BackwardMatchesFiniteDifferences(string name)
    {
        var testCase = ActivationCases.Get(name);
        var function = testCase.Create();
        var random = new Random(name.Length * 7919);
        foreach (var length in Lengths)
        {
            var x = FiniteDifference.RandomVector(random, length, -4, 4);
            AvoidKinks(x, testCase.Kinks);
            var dy = FiniteDifference.RandomVector(random, length, -1, 1);
            var y = new float[length];
            var dx = new float[length];
            function.Forward(x, y);
            function.Backward(x, y, dy, dx);

            var numeric = FiniteDifference.Gradient(point => WeightedSum(function, point, dy), x);
            FiniteDifference.AssertMatches(dx, numeric, what: $"{name} dx (length {length})");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(100)]
    public void SoftmaxBackwardMatchesFiniteDifferences(int classes)
    {
        const int Batch = 2;
        var random = new Random(classes);
        var x = FiniteDifference.RandomVector(random, Batch * classes, -3, 3);
        var dy = FiniteDifference.RandomVector(random, Batch * classes, -1, 1);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Softmax.Forward(x, y, Batch, classes);
        Softmax.Backward(y, dy, dx, Batch, classes);

        var numeric = FiniteDifference.Gradient(
            point =>
            {
                var output = new float[point.Length];
                Softmax.Forward(point, output, Batch, classes);
                return Dot(output, dy);
            },
            x,
            h: 1e-3);
        FiniteDifference.AssertMatches(dx, numeric, what: $"softmax dx ({classes} classes)");
    }

    internal static double WeightedSum(ActivationFunction function, float[] x, float[] dy)
    {
        var y = new float[x.Length];
        function.Forward(x, y);
        return Dot(y, dy);
    }

    internal static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    internal static void AvoidKinks(float[] x, double[] kinks)
    {
        for (var i = 0; i < x.Length; i++)
        {
            foreach (var kink in kinks)
            {
                if (Math.Abs(x[i] - kink) < 0.05)
                {
                    x[i] = (float)(x[i] >= kink ? kink + 0.05 : kink - 0.05);
                }
            }
        }
    }
}
