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

    // Rows this wide go row by row in blocks of 8 rows, strips of 16 columns and a scalar tail (19 rows: two whole blocks and a part).
    private const int WideUnits = (32 * 16) + 11;

    [Theory]
    [InlineData(Rows, Units)]
    [InlineData(19, WideUnits)]
    public void MeanAndVarianceEqualTheRowByRowPassesBitForBit(int rows, int units)
    {
        var x = FiniteDifference.RandomVector(new Random(1), rows * units);
        var mean = new float[units];
        var variance = new float[units];
        ColumnPasses.MeanAndVariance(x, rows, units, mean, variance, new float[units]);

        // The row-by-row formulation: Σ rows in order, times 1/n; then Σ (x − μ)² by fused multiply-add, times 1/n.
        var expectedMean = new float[units];
        var expectedVariance = new float[units];
        var row = new float[units];
        for (var r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(expectedMean, x.AsSpan(r * units, units), expectedMean);
        }

        TensorPrimitives.Multiply(expectedMean, 1f / rows, expectedMean);
        for (var r = 0; r < rows; r++)
        {
            TensorPrimitives.Subtract(x.AsSpan(r * units, units), expectedMean, row);
            TensorPrimitives.FusedMultiplyAdd(row, row, expectedVariance, expectedVariance);
        }

        TensorPrimitives.Multiply(expectedVariance, 1f / rows, expectedVariance);
        Assert.Equal(Bits(expectedMean), Bits(mean));
        Assert.Equal(Bits(expectedVariance), Bits(variance));
        for (var u = 0; u < units; u++)
        {
            var column = Enumerable.Range(0, rows).Select(r => (double)x[(r * units) + u]).ToArray();
            var mu = column.Average();
            AssertClose.Scalar(mu, mean[u], rtol: 1e-5, atol: 1e-6, what: $"mean {u}");
            AssertClose.Scalar(column.Average(v => (v - mu) * (v - mu)), variance[u], rtol: 1e-5, atol: 1e-6, what: $"variance {u}");
        }
    }

    [Theory]
    [InlineData(Rows, Units)]
    [InlineData(19, WideUnits)]
    public void BackwardPassesEqualTheRowByRowPassesBitForBit(int rows, int units)
    {
        var random = new Random(2);
        var x = FiniteDifference.RandomVector(random, rows * units);
        var dy = FiniteDifference.RandomVector(random, rows * units);
        var mean = FiniteDifference.RandomVector(random, units);
        var inverseStd = FiniteDifference.RandomVector(random, units, 0.5, 2);
        var scale = FiniteDifference.RandomVector(random, units);
        var sumDy = new float[units];
        var sumDyXHat = new float[units];
        ColumnPasses.GradientSums(x, dy, rows, units, mean, inverseStd, sumDy, sumDyXHat, new float[units]);

        var expectedSumDy = new float[units];
        var expectedSumDyXHat = new float[units];
        var row = new float[units];
        for (var r = 0; r < rows; r++)
        {
            var g = dy.AsSpan(r * units, units);
            TensorPrimitives.Subtract(x.AsSpan(r * units, units), mean, row);
            TensorPrimitives.Multiply(row, inverseStd, row);
            TensorPrimitives.FusedMultiplyAdd(g, row, expectedSumDyXHat, expectedSumDyXHat);
            TensorPrimitives.Add(expectedSumDy, g, expectedSumDy);
        }

        Assert.Equal(Bits(expectedSumDy), Bits(sumDy));
        Assert.Equal(Bits(expectedSumDyXHat), Bits(sumDyXHat));

        var meanDy = sumDy.Select(v => v / rows).ToArray();
        var meanDyXHat = sumDyXHat.Select(v => v / rows).ToArray();
        var dx = new float[rows * units];
        ColumnPasses.InputGradient(x, dy, dx, rows, units, mean, inverseStd, meanDyXHat, meanDy, scale);
        var expectedDx = new float[rows * units];
        for (var r = 0; r < rows; r++)
        {
            var d = expectedDx.AsSpan(r * units, units);
            TensorPrimitives.Subtract(x.AsSpan(r * units, units), mean, d);
            TensorPrimitives.Multiply(d, inverseStd, d);
            TensorPrimitives.Multiply(d, meanDyXHat, d);
            TensorPrimitives.Subtract(dy.AsSpan(r * units, units), d, d);
            TensorPrimitives.Subtract(d, meanDy, d);
            TensorPrimitives.Multiply(d, scale, d);
        }

        Assert.Equal(Bits(expectedDx), Bits(dx));
        for (var i = 0; i < dx.Length; i++)
        {
            var u = i % units;
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
