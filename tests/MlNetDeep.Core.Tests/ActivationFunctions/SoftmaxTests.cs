using MlNetDeep.ActivationFunctions;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>Row-wise softmax: normalization, stability with extreme logits, in-place use, no allocation.</summary>
public class SoftmaxTests
{
    [Fact]
    public void RowsSumToOneAndExtremeLogitsStayFinite()
    {
        float[] x = [1000f, 0f, -1000f, 3f, 88.8f, 89.2f, -100f, -100f, 5f, 5f, 5f, 5f];
        var y = new float[x.Length];
        Softmax.Forward(x, y, 3, 4);
        for (var row = 0; row < 3; row++)
        {
            AssertClose.Scalar(1, y.AsSpan(row * 4, 4).ToArray().Sum(v => (double)v), 1e-6, 1e-6, $"row {row} sum");
        }

        AssertClose.All([1f, 0f, 0f, 0f], y.AsSpan(0, 4), 1e-6, 1e-30, "row 0");
        var e = Math.Exp(-0.4);
        AssertClose.All([(float)(e / (1 + e)), (float)(1 / (1 + e)), 0f, 0f], y.AsSpan(4, 4), 1e-5, 1e-30, "row 1");
        AssertClose.All([0.25f, 0.25f, 0.25f, 0.25f], y.AsSpan(8, 4), 1e-6, 0, "row 2");
    }

    [Fact]
    public void InPlaceMatchesSeparateBuffersAndDoesNotAllocate()
    {
        var random = new Random(9);
        const int Batch = 3;
        const int Classes = 37;
        var x = FiniteDifference.RandomVector(random, Batch * Classes, -4, 4);
        var dy = FiniteDifference.RandomVector(random, Batch * Classes, -1, 1);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Softmax.Forward(x, y, Batch, Classes);
        Softmax.Backward(y, dy, dx, Batch, Classes);

        var inPlace = (float[])x.Clone();
        Softmax.Forward(inPlace, inPlace, Batch, Classes);
        Assert.Equal(y, inPlace);
        var gradientInPlace = (float[])dy.Clone();
        Softmax.Backward(y, gradientInPlace, gradientInPlace, Batch, Classes);
        Assert.Equal(dx, gradientInPlace);

        Assert.Equal(0, Allocations.Steady(() =>
        {
            Softmax.Forward(x, y, Batch, Classes);
            Softmax.Backward(y, dy, dx, Batch, Classes);
        }));
    }

    [Fact]
    public void BadShapesThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Forward(new float[4], new float[4], 1, 0));
        Assert.Throws<ArgumentException>(() => Softmax.Forward(new float[5], new float[6], 2, 3));
        Assert.Throws<ArgumentException>(() => Softmax.Backward(new float[6], new float[6], new float[5], 2, 3));
    }
}
