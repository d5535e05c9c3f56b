using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Layers;

/// <summary>
/// Passes over the columns of a row-major batch <c>[rows, units]</c> (per-unit statistics and batch normalization's
/// backward). Where <c>Vector512</c> is accelerated they go a strip of 16 columns at a time (four at once for the
/// statistics): each strip's rows are read once from the cache they sit in and then again from L1, and its sums stay in
/// registers; the last columns go one at a time; wide rows (<see cref="WideUnits"/>) go row by row in blocks of a few rows
/// instead, a block's strip sums in registers. Elsewhere they go row by row over whole rows, which narrower strips did
/// not beat. Either way every value gets the same operations in the same order (each column on its own, rows in order),
/// so the results are the same to the bit.
/// </summary>
internal static class ColumnPasses
{
    /// <summary>
    /// Rows of at least this many units go through the wide passes, row by row in blocks of <see cref="RowBlock"/> rows:
    /// a strip's walk down all the rows of a wide batch (rows 2 KB or more apart) is cache-unfriendly. Measured on
    /// 256 rows of 1,024 units: statistics 57 → 37 µs, gradient sums 100 → 32 µs, input gradient 192 → 89 µs; at 512 units
    /// about 1.5–2× faster too, at 256 units no faster.
    /// </summary>
    private const int WideUnits = 512;

    /// <summary>Rows per block of the wide passes: their strip sums stay in registers through a block.</summary>
    private const int RowBlock = 8;

    /// <summary>
    /// Writes each column's mean <c>Σ_r x[r, u] · (1/rows)</c> and biased variance <c>Σ_r (x[r, u] − mean[u])² · (1/rows)</c>,
    /// the squares accumulated by fused multiply-add, rows in order.
    /// </summary>
    public static void MeanAndVariance(ReadOnlySpan<float> x, int rows, int units, Span<float> mean, Span<float> variance, Span<float> scratch)
    {
        Check(rows, units, x.Length, mean.Length, variance.Length, scratch.Length);
        var inverseRows = 1f / rows;
        if (!Vector512.IsHardwareAccelerated)
        {
            mean = mean[..units];
            variance = variance[..units];
            scratch = scratch[..units];
            mean.Clear();
            for (var r = 0; r < rows; r++)
            {
                TensorPrimitives.Add(mean, x.Slice(r * units, units), mean);
            }

            TensorPrimitives.Multiply(mean, inverseRows, mean);
            variance.Clear();
            for (var r = 0; r < rows; r++)
            {
                TensorPrimitives.Subtract(x.Slice(r * units, units), mean, scratch);
                TensorPrimitives.FusedMultiplyAdd(scratch, scratch, variance, variance);
            }

            TensorPrimitives.Multiply(variance, inverseRows, variance);
            return;
        }

        ref var xr = ref MemoryMarshal.GetReference(x);
        if (units >= WideUnits)
        {
            MeanAndVarianceByRows(ref xr, rows, units, inverseRows, mean, variance);
            return;
        }

        var u = 0;
        // Four strips at once: four independent sums hide the latency of each addition.
        for (; u + 64 <= units; u += 64)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (var r = 0; r < rows; r++)
            {
                var offset = (nuint)((nint)r * units + u);
                s0 += Vector512.LoadUnsafe(ref xr, offset);
                s1 += Vector512.LoadUnsafe(ref xr, offset + 16);
                s2 += Vector512.LoadUnsafe(ref xr, offset + 32);
                s3 += Vector512.LoadUnsafe(ref xr, offset + 48);
            }

            var m0 = s0 * inverseRows;
            var m1 = s1 * inverseRows;
            var m2 = s2 * inverseRows;
            var m3 = s3 * inverseRows;
            Vector512<float> q0 = default, q1 = default, q2 = default, q3 = default;
            for (var r = 0; r < rows; r++)
            {
                var offset = (nuint)((nint)r * units + u);
                var d0 = Vector512.LoadUnsafe(ref xr, offset) - m0;
                var d1 = Vector512.LoadUnsafe(ref xr, offset + 16) - m1;
                var d2 = Vector512.LoadUnsafe(ref xr, offset + 32) - m2;
                var d3 = Vector512.LoadUnsafe(ref xr, offset + 48) - m3;
                q0 = Vector512.FusedMultiplyAdd(d0, d0, q0);
                q1 = Vector512.FusedMultiplyAdd(d1, d1, q1);
                q2 = Vector512.FusedMultiplyAdd(d2, d2, q2);
                q3 = Vector512.FusedMultiplyAdd(d3, d3, q3);
            }

            m0.CopyTo(mean[u..]);
            m1.CopyTo(mean[(u + 16)..]);
            m2.CopyTo(mean[(u + 32)..]);
            m3.CopyTo(mean[(u + 48)..]);
            (q0 * inverseRows).CopyTo(variance[u..]);
            (q1 * inverseRows).CopyTo(variance[(u + 16)..]);
            (q2 * inverseRows).CopyTo(variance[(u + 32)..]);
            (q3 * inverseRows).CopyTo(variance[(u + 48)..]);
        }

        for (; u + 16 <= units; u += 16)
        {
            var sum = Vector512<float>.Zero;
            for (var r = 0; r < rows; r++)
            {
                sum += Vector512.LoadUnsafe(ref xr, (nuint)((nint)r * units + u));
            }

            var mu = sum * inverseRows;
            var squares = Vector512<float>.Zero;
            for (var r = 0; r < rows; r++)
            {
                var d = Vector512.LoadUnsafe(ref xr, (nuint)((nint)r * units + u)) - mu;
                squares = Vector512.FusedMultiplyAdd(d, d, squares);
            }

            mu.CopyTo(mean[u..]);
            (squares * inverseRows).CopyTo(variance[u..]);
        }

        for (; u < units; u++)
        {
            var sum = 0f;
            for (var r = 0; r < rows; r++)
            {
                sum += Unsafe.Add(ref xr, (nint)r * units + u);
            }

            var mu = sum * inverseRows;
            var squares = 0f;
            for (var r = 0; r < rows; r++)
            {
                var d = Unsafe.Add(ref xr, (nint)r * units + u) - mu;
                squares = MathF.FusedMultiplyAdd(d, d, squares);
            }

            mean[u] = mu;
            variance[u] = squares * inverseRows;
        }
    }

    /// <summary>Writes <c>sumDy[u] = Σ_r dy[r, u]</c> and <c>sumDyXHat[u] = Σ_r dy[r, u]·(x[r, u] − mean[u])·inverseStd[u]</c>, rows in order.</summary>
    public static void GradientSums(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy,
        int rows,
        int units,
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> inverseStd,
        Span<float> sumDy,
        Span<float> sumDyXHat,
        Span<float> scratch)
    {
        Check(rows, units, Math.Min(x.Length, dy.Length), mean.Length, inverseStd.Length, sumDy.Length, sumDyXHat.Length, scratch.Length);
        if (!Vector512.IsHardwareAccelerated)
        {
            mean = mean[..units];
            inverseStd = inverseStd[..units];
            sumDy = sumDy[..units];
            sumDyXHat = sumDyXHat[..units];
            scratch = scratch[..units];
            sumDy.Clear();
            sumDyXHat.Clear();
            for (var r = 0; r < rows; r++)
            {
                var g = dy.Slice(r * units, units);
                TensorPrimitives.Subtract(x.Slice(r * units, units), mean, scratch);
                TensorPrimitives.Multiply(scratch, inverseStd, scratch);
                TensorPrimitives.FusedMultiplyAdd(g, scratch, sumDyXHat, sumDyXHat);
                TensorPrimitives.Add(sumDy, g, sumDy);
            }

            return;
        }

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dyr = ref MemoryMarshal.GetReference(dy);
        if (units >= WideUnits)
        {
            GradientSumsByRows(ref xr, ref dyr, rows, units, mean, inverseStd, sumDy, sumDyXHat);
            return;
        }

        var u = 0;
        for (; u + 16 <= units; u += 16)
        {
            var mu = Vector512.Create(mean.Slice(u, 16));
            var s = Vector512.Create(inverseStd.Slice(u, 16));
            var sum = Vector512<float>.Zero;
            var sumXHat = Vector512<float>.Zero;
            for (var r = 0; r < rows; r++)
            {
                var offset = (nuint)((nint)r * units + u);
                var g = Vector512.LoadUnsafe(ref dyr, offset);
                var xHat = (Vector512.LoadUnsafe(ref xr, offset) - mu) * s;
                sumXHat = Vector512.FusedMultiplyAdd(g, xHat, sumXHat);
                sum += g;
            }

            sum.CopyTo(sumDy[u..]);
            sumXHat.CopyTo(sumDyXHat[u..]);
        }

        for (; u < units; u++)
        {
            float sum = 0f, sumXHat = 0f;
            for (var r = 0; r < rows; r++)
            {
                var offset = (nint)r * units + u;
                var g = Unsafe.Add(ref dyr, offset);
                var xHat = (Unsafe.Add(ref xr, offset) - mean[u]) * inverseStd[u];
                sumXHat = MathF.FusedMultiplyAdd(g, xHat, sumXHat);
                sum += g;
            }

            sumDy[u] = sum;
            sumDyXHat[u] = sumXHat;
        }
    }

    /// <summary>
    /// Writes <c>dx[r, u] = (dy[r, u] − (x[r, u] − mean[u])·inverseStd[u]·meanDyXHat[u] − meanDy[u])·scale[u]</c>,
    /// evaluated left to right.
    /// </summary>
    public static void InputGradient(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy,
        Span<float> dx,
        int rows,
        int units,
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> inverseStd,
        ReadOnlySpan<float> meanDyXHat,
        ReadOnlySpan<float> meanDy,
        ReadOnlySpan<float> scale)
    {
        Check(rows, units, Math.Min(Math.Min(x.Length, dy.Length), dx.Length), mean.Length, inverseStd.Length, meanDyXHat.Length, meanDy.Length, scale.Length);
        if (!Vector512.IsHardwareAccelerated)
        {
            mean = mean[..units];
            inverseStd = inverseStd[..units];
            meanDyXHat = meanDyXHat[..units];
            meanDy = meanDy[..units];
            scale = scale[..units];
            for (var r = 0; r < rows; r++)
            {
                var d = dx.Slice(r * units, units);
                TensorPrimitives.Subtract(x.Slice(r * units, units), mean, d);
                TensorPrimitives.Multiply(d, inverseStd, d);
                TensorPrimitives.Multiply(d, meanDyXHat, d);
                TensorPrimitives.Subtract(dy.Slice(r * units, units), d, d);
                TensorPrimitives.Subtract(d, meanDy, d);
                TensorPrimitives.Multiply(d, scale, d);
            }

            return;
        }

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var dyr = ref MemoryMarshal.GetReference(dy);
        ref var dxr = ref MemoryMarshal.GetReference(dx);
        if (units >= WideUnits)
        {
            InputGradientByRows(ref xr, ref dyr, ref dxr, rows, units, mean, inverseStd, meanDyXHat, meanDy, scale);
            return;
        }

        var u = 0;
        for (; u + 16 <= units; u += 16)
        {
            var mu = Vector512.Create(mean.Slice(u, 16));
            var s = Vector512.Create(inverseStd.Slice(u, 16));
            var a = Vector512.Create(meanDyXHat.Slice(u, 16));
            var b = Vector512.Create(meanDy.Slice(u, 16));
            var g = Vector512.Create(scale.Slice(u, 16));
            for (var r = 0; r < rows; r++)
            {
                var offset = (nuint)((nint)r * units + u);
                var t = (Vector512.LoadUnsafe(ref xr, offset) - mu) * s;
                t *= a;
                t = Vector512.LoadUnsafe(ref dyr, offset) - t;
                t -= b;
                (t * g).StoreUnsafe(ref dxr, offset);
            }
        }

        for (; u < units; u++)
        {
            for (var r = 0; r < rows; r++)
            {
                var offset = (nint)r * units + u;
                var t = (Unsafe.Add(ref xr, offset) - mean[u]) * inverseStd[u];
                t *= meanDyXHat[u];
                t = Unsafe.Add(ref dyr, offset) - t;
                t -= meanDy[u];
                Unsafe.Add(ref dxr, offset) = t * scale[u];
            }
        }
    }

    /// <summary>
    /// <see cref="MeanAndVariance"/> for wide rows: each pass goes through the rows in blocks of <see cref="RowBlock"/>,
    /// every strip of 16 columns of a block summed in registers onto the block before's sums, held in
    /// <paramref name="mean"/> and <paramref name="variance"/>.
    /// </summary>
    private static void MeanAndVarianceByRows(ref float xr, int rows, int units, float inverseRows, Span<float> mean, Span<float> variance)
    {
        mean = mean[..units];
        variance = variance[..units];
        mean.Clear();
        variance.Clear();
        ref var mr = ref MemoryMarshal.GetReference(mean);
        ref var vr = ref MemoryMarshal.GetReference(variance);
        var strips = units - (units % 16);
        for (var r0 = 0; r0 < rows; r0 += RowBlock)
        {
            var r1 = Math.Min(rows, r0 + RowBlock);
            for (var u = 0; u < strips; u += 16)
            {
                var sum = Vector512.LoadUnsafe(ref mr, (nuint)u);
                for (var r = r0; r < r1; r++)
                {
                    sum += Vector512.LoadUnsafe(ref xr, (nuint)(((nint)r * units) + u));
                }

                sum.StoreUnsafe(ref mr, (nuint)u);
            }

            for (var u = strips; u < units; u++)
            {
                var sum = mean[u];
                for (var r = r0; r < r1; r++)
                {
                    sum += Unsafe.Add(ref xr, ((nint)r * units) + u);
                }

                mean[u] = sum;
            }
        }

        TensorPrimitives.Multiply(mean, inverseRows, mean);
        for (var r0 = 0; r0 < rows; r0 += RowBlock)
        {
            var r1 = Math.Min(rows, r0 + RowBlock);
            for (var u = 0; u < strips; u += 16)
            {
                var mu = Vector512.LoadUnsafe(ref mr, (nuint)u);
                var squares = Vector512.LoadUnsafe(ref vr, (nuint)u);
                for (var r = r0; r < r1; r++)
                {
                    var d = Vector512.LoadUnsafe(ref xr, (nuint)(((nint)r * units) + u)) - mu;
                    squares = Vector512.FusedMultiplyAdd(d, d, squares);
                }

                squares.StoreUnsafe(ref vr, (nuint)u);
            }

            for (var u = strips; u < units; u++)
            {
                var squares = variance[u];
                for (var r = r0; r < r1; r++)
                {
                    var d = Unsafe.Add(ref xr, ((nint)r * units) + u) - mean[u];
                    squares = MathF.FusedMultiplyAdd(d, d, squares);
                }

                variance[u] = squares;
            }
        }

        TensorPrimitives.Multiply(variance, inverseRows, variance);
    }

    /// <summary>
    /// <see cref="GradientSums"/> for wide rows, row by row: each row is read once in order and the sums of each strip of
    /// 16 columns are carried in <paramref name="sumDy"/> and <paramref name="sumDyXHat"/> from row to row.
    /// </summary>
    private static void GradientSumsByRows(
        ref float xr,
        ref float dyr,
        int rows,
        int units,
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> inverseStd,
        Span<float> sumDy,
        Span<float> sumDyXHat)
    {
        sumDy = sumDy[..units];
        sumDyXHat = sumDyXHat[..units];
        sumDy.Clear();
        sumDyXHat.Clear();
        ref var mr = ref MemoryMarshal.GetReference(mean);
        ref var sr = ref MemoryMarshal.GetReference(inverseStd);
        ref var sumr = ref MemoryMarshal.GetReference(sumDy);
        ref var sumXHatr = ref MemoryMarshal.GetReference(sumDyXHat);
        var strips = units - (units % 16);
        for (var r0 = 0; r0 < rows; r0 += RowBlock)
        {
            var r1 = Math.Min(rows, r0 + RowBlock);
            for (var u = 0; u < strips; u += 16)
            {
                var offset = (nuint)u;
                var mu = Vector512.LoadUnsafe(ref mr, offset);
                var s = Vector512.LoadUnsafe(ref sr, offset);
                var sum = Vector512.LoadUnsafe(ref sumr, offset);
                var sumXHat = Vector512.LoadUnsafe(ref sumXHatr, offset);
                for (var r = r0; r < r1; r++)
                {
                    var at = (nuint)((nint)r * units) + offset;
                    var g = Vector512.LoadUnsafe(ref dyr, at);
                    var xHat = (Vector512.LoadUnsafe(ref xr, at) - mu) * s;
                    sumXHat = Vector512.FusedMultiplyAdd(g, xHat, sumXHat);
                    sum += g;
                }

                sum.StoreUnsafe(ref sumr, offset);
                sumXHat.StoreUnsafe(ref sumXHatr, offset);
            }

            for (var u = strips; u < units; u++)
            {
                for (var r = r0; r < r1; r++)
                {
                    var g = Unsafe.Add(ref dyr, ((nint)r * units) + u);
                    var xHat = (Unsafe.Add(ref xr, ((nint)r * units) + u) - mean[u]) * inverseStd[u];
                    sumDyXHat[u] = MathF.FusedMultiplyAdd(g, xHat, sumDyXHat[u]);
                    sumDy[u] += g;
                }
            }
        }
    }

    /// <summary><see cref="InputGradient"/> for wide rows, row by row, each row read and written once in order.</summary>
    private static void InputGradientByRows(
        ref float xr,
        ref float dyr,
        ref float dxr,
        int rows,
        int units,
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> inverseStd,
        ReadOnlySpan<float> meanDyXHat,
        ReadOnlySpan<float> meanDy,
        ReadOnlySpan<float> scale)
    {
        ref var mr = ref MemoryMarshal.GetReference(mean);
        ref var sr = ref MemoryMarshal.GetReference(inverseStd);
        ref var ar = ref MemoryMarshal.GetReference(meanDyXHat);
        ref var br = ref MemoryMarshal.GetReference(meanDy);
        ref var gr = ref MemoryMarshal.GetReference(scale);
        var strips = units - (units % 16);
        for (var r = 0; r < rows; r++)
        {
            var row = (nint)r * units;
            ref var xRow = ref Unsafe.Add(ref xr, row);
            ref var dyRow = ref Unsafe.Add(ref dyr, row);
            ref var dxRow = ref Unsafe.Add(ref dxr, row);
            var u = 0;
            for (; u < strips; u += 16)
            {
                var offset = (nuint)u;
                var t = (Vector512.LoadUnsafe(ref xRow, offset) - Vector512.LoadUnsafe(ref mr, offset)) * Vector512.LoadUnsafe(ref sr, offset);
                t *= Vector512.LoadUnsafe(ref ar, offset);
                t = Vector512.LoadUnsafe(ref dyRow, offset) - t;
                t -= Vector512.LoadUnsafe(ref br, offset);
                (t * Vector512.LoadUnsafe(ref gr, offset)).StoreUnsafe(ref dxRow, offset);
            }

            for (; u < units; u++)
            {
                var t = (Unsafe.Add(ref xRow, u) - mean[u]) * inverseStd[u];
                t *= meanDyXHat[u];
                t = Unsafe.Add(ref dyRow, u) - t;
                t -= meanDy[u];
                Unsafe.Add(ref dxRow, u) = t * scale[u];
            }
        }
    }

    /// <summary>
    /// Refuses a batch span (<paramref name="shortestBatch"/>, the shortest of them) under <c>rows·units</c> values or a
    /// per-unit span under <paramref name="units"/>.
    /// </summary>
    private static void Check(int rows, int units, int shortestBatch, params ReadOnlySpan<int> perUnitLengths)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        var needed = (long)rows * units;
        var shortestPerUnit = int.MaxValue;
        foreach (var length in perUnitLengths)
        {
            shortestPerUnit = Math.Min(shortestPerUnit, length);
        }

        if (shortestBatch < needed || shortestPerUnit < units)
        {
            throw new ArgumentException($"A batch of {rows}×{units} needs {needed} values in each batch span and {units} in each per-unit span; the shortest received hold {shortestBatch} and {shortestPerUnit}.");
        }
    }
}
