using System.Numerics.Tensors;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class ColumnPassesTests
{
    // 91 columns: a four-strip block of 16-float vectors, single strips and a scalar tail where Vector512 is accelerated
    // (the row-by-row passes elsewhere; DOTNET_EnableAVX512=0 runs them here).
    private const int Rows = 7;
    private const int Units = 91;

    [Fact]
    public void MeanAndVarianceEqualTheRowByRowPassesBitForBit()
    {
        var x = FiniteDifference.RandomVector(new Random(1), Rows * Units);
        var mean = new float[Units];
        var variance = new float[Units];
        ColumnPasses.MeanAndVariance(x, Rows, Units, mean, variance, new float[Units]);

        // The row-by-row formulation: Σ rows in order, times 1/n; then Σ (x − μ)² by fused multiply-add, times 1/n.
        var expectedMean = new float[Units];
        var expectedVariance = new float[Units];
        var row = new float[Units];
        for (var r = 0; r < Rows; r++)
        {
            TensorPrimitives.Add(expectedMean, x.AsSpan(r * Units, Units), expectedMean);
        }

        TensorPrimitives.Multiply(expectedMean, 1f / Rows, expectedMean);
        for (var r = 0; r < Rows; r++)
        {
            TensorPrimitives.Subtract(x.AsSpan(r * Units, Units), expectedMean, row);
            TensorPrimitives.FusedMultiplyAdd(row, row, expectedVariance, expectedVariance);
        }

        TensorPrimitives.Multiply(expectedVariance, 1f / Rows, expectedVariance);
        Assert.Equal(Bits(expectedMean), Bits(mean));
        Assert.Equal(Bits(expectedVariance), Bits(variance));
        for (var u = 0; u < Units; u++)
        {
            var column = Enumerable.Range(0, Rows).Select(r => (double)x[(r * Units) + u]).ToArray();
            var mu = column.Average();
            AssertClose.Scalar(mu, mean[u], rtol: 1e-5, atol: 1e-6, what: $"mean {u}");
            AssertClose.Scalar(column.Average(v => (v - mu) * (v - mu)), variance[u], rtol: 1e-5, atol: 1e-6, what: $"variance {u}");
        }
    }

    [Fact]
    public void BackwardPassesEqualTheRowByRowPassesBitForBit()
    {
        var random = new Random(2);
        var x = FiniteDifference.RandomVector(random, Rows * Units);
        var dy = FiniteDifference.RandomVector(random, Rows * Units);
        var mean = FiniteDifference.RandomVector(random, Units);
        var inverseStd = FiniteDifference.RandomVector(random, Units, 0.5, 2);
        var scale = FiniteDifference.RandomVector(random, Units);
        var sumDy = new float[Units];
        var sumDyXHat = new float[Units];
        ColumnPasses.GradientSums(x, dy, Rows, Units, mean, inverseStd, sumDy, sumDyXHat, new float[Units]);

        var expectedSumDy = new float[Units];
        var expectedSumDyXHat = new float[Units];
        var row = new float[Units];
        for (var r = 0; r < Rows; r++)
        {
            var g = dy.AsSpan(r * Units, Units);
            TensorPrimitives.Subtract(x.AsSpan(r * Units, Units), mean, row);
            TensorPrimitives.Multiply(row, inverseStd, row);
            TensorPrimitives.FusedMultiplyAdd(g, row, expectedSumDyXHat, expectedSumDyXHat);
            TensorPrimitives.Add(expectedSumDy, g, expectedSumDy);
        }

        Assert.Equal(Bits(expectedSumDy), Bits(sumDy));
        Assert.Equal(Bits(expectedSumDyXHat), Bits(sumDyXHat));

        var meanDy = sumDy.Select(v => v / Rows).ToArray();
        var meanDyXHat = sumDyXHat.Select(v => v / Rows).ToArray();
        var dx = new float[Rows * Units];
        ColumnPasses.InputGradient(x, dy, dx, Rows, Units, mean, inverseStd, meanDyXHat, meanDy, scale);
        var expectedDx = new float[Rows * Units];
        for (var r = 0; r < Rows; r++)
        {
            var d = expectedDx.AsSpan(r * Units, Units);
            TensorPrimitives.Subtract(x.AsSpan(r * Units, Units), mean, d);
            TensorPrimitives.Multiply(d, inverseStd, d);
            TensorPrimitives.Multiply(d, meanDyXHat, d);
            TensorPrimitives.Subtract(dy.AsSpan(r * Units, Units), d, d);
            TensorPrimitives.Subtract(d, meanDy, d);
            TensorPrimitives.Multiply(d, scale, d);
        }

        Assert.Equal(Bits(expectedDx), Bits(dx));
        for (var i = 0; i < dx.Length; i++)
        {
            var u = i % Units;
            var xHat = ((double)x[i] - mean[u]) * inverseStd[u];
            AssertClose.Scalar((dy[i] - (xHat * meanDyXHat[u]) - meanDy[u]) * scale[u], dx[i], rtol: 1e-5, atol: 1e-5, what: $"dx {i}");
        }
    }

    [Fact]
    public void AColumnGetsTheSameBitsAloneAsAmongOthers()
    {
        // Column 90 falls in the scalar tail of the 91-wide batch, column 3 in the four-strip block and columns 70 and 85
        // in single strips. Alone, a column runs the scalar path.
        var random = new Random(3);
        var x = FiniteDifference.RandomVector(random, Rows * Units);
        var dy = FiniteDifference.RandomVector(random, Rows * Units);
        var mean = new float[Units];
        var variance = new float[Units];
        ColumnPasses.MeanAndVariance(x, Rows, Units, mean, variance, new float[Units]);
        var sumDy = new float[Units];
        var sumDyXHat = new float[Units];
        ColumnPasses.GradientSums(x, dy, Rows, Units, mean, variance, sumDy, sumDyXHat, new float[Units]);
        foreach (var u in new[] { 3, 70, 85, 90 })
        {
            var xu = Enumerable.Range(0, Rows).Select(r => x[(r * Units) + u]).ToArray();
            var dyu = Enumerable.Range(0, Rows).Select(r => dy[(r * Units) + u]).ToArray();
            var meanU = new float[1];
            var varianceU = new float[1];
            ColumnPasses.MeanAndVariance(xu, Rows, 1, meanU, varianceU, new float[1]);
            var sumDyU = new float[1];
            var sumDyXHatU = new float[1];
            ColumnPasses.GradientSums(xu, dyu, Rows, 1, meanU, varianceU, sumDyU, sumDyXHatU, new float[1]);
            Assert.Equal(BitConverter.SingleToInt32Bits(mean[u]), BitConverter.SingleToInt32Bits(meanU[0]));
            Assert.Equal(BitConverter.SingleToInt32Bits(variance[u]), BitConverter.SingleToInt32Bits(varianceU[0]));
            Assert.Equal(BitConverter.SingleToInt32Bits(sumDy[u]), BitConverter.SingleToInt32Bits(sumDyU[0]));
            Assert.Equal(BitConverter.SingleToInt32Bits(sumDyXHat[u]), BitConverter.SingleToInt32Bits(sumDyXHatU[0]));
        }
    }

    [Fact]
    public void ShortSpansAreRefused()
    {
        var x = new float[(Rows * Units) - 1];
        Assert.Throws<ArgumentException>(() => ColumnPasses.MeanAndVariance(x, Rows, Units, new float[Units], new float[Units], new float[Units]));
        Assert.Throws<ArgumentException>(() => ColumnPasses.MeanAndVariance(new float[Rows * Units], Rows, Units, new float[Units - 1], new float[Units], new float[Units]));
        Assert.Throws<ArgumentException>(() => ColumnPasses.MeanAndVariance(new float[Rows * Units], Rows, Units, new float[Units], new float[Units], new float[Units - 1]));
        Assert.Throws<ArgumentException>(() => ColumnPasses.InputGradient(
            new float[Rows * Units], new float[Rows * Units], new float[Rows * Units], Rows, Units, new float[Units], new float[Units], new float[Units], new float[Units], new float[Units - 1]));
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
