using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.Compute;

/// <summary>
/// Products of a sparse matrix in compressed sparse row (CSR) form with dense row-major matrices, over the non-zeros
/// only: the forward product and the weight gradient of a dense layer (weight <c>W [n, k]</c>) whose input rows are sparse.
/// </summary>
/// <remarks>
/// <para>
/// A sparse <c>A [m, k]</c> is three spans: row <c>r</c> holds <c>values[rowStarts[r] .. rowStarts[r + 1])</c> at the
/// columns <c>indices[rowStarts[r] .. rowStarts[r + 1])</c>, every other entry is zero. Row starts are offsets into the
/// values and indices (the first need not be 0), so the rows <c>[s, s + c)</c> of a CSR matrix are the same values and
/// indices with <c>rowStarts[s .. s + c + 1]</c>.
/// </para>
/// <para>
/// Both products go through the rows of the dense matrix <c>W [n, k]</c> (the output units of the layer) a few at a time
/// (<see cref="UnitsPerPass"/>), gathering (forward) or scattering (gradient) at the columns of the non-zeros: <c>n·nnz</c>
/// multiply-adds instead of <c>m·n·k</c>.
/// Threads split the n units into ranges. Every element is the sum of its terms in row order and, within a row, in
/// column order, whatever the split, so results are bit-identical for any thread count; they differ from the dense
/// product of the same matrices only by rounding (the dense kernels add in another order). No managed memory is allocated.
/// </para>
/// </remarks>
internal static class SparseProduct
{
    /// <summary>Products with fewer multiply-adds than this (counting the gradient's clearing of its rows) run on one thread.</summary>
    public const long ThreadedWork = 64 * 1024;

    /// <summary>Parts per thread, so a thread that falls behind does not hold the others back.</summary>
    private const int PartsPerThread = 4;

    /// <summary>
    /// Units (rows of W) a pass over the non-zeros serves at once: each value and column is read once for four gathers or
    /// scatters, and four sums are in flight while the gathers wait on memory. Measured on the text sample's first layer
    /// (128 rows of 273 non-zeros among 47,800 columns, 256 units, two threads, after warm-up): one unit per pass took
    /// 39 ms for the product and 30 ms for the gradient per step; four units per pass 26 ms and 16 ms; four units with
    /// their weight rows first read in order (<see cref="Touch"/>) 18 ms and 16 ms. The dense products of the same rows
    /// took 62 ms and 52 ms, and the Adam step over all the weights 15 ms.
    /// </summary>
    private const int UnitsPerPass = 4;

    /// <summary>
    /// <c>C [m, n] = A [m, k] · Wᵀ</c> with A sparse and <c>W [n, k]</c> dense: <c>C[r, j] = Σₚ values[p]·W[j, indices[p]]</c>
    /// over the non-zeros <c>p</c> of row <c>r</c>.
    /// </summary>
    public static void MultiplyTransposed(
        int m,
        int n,
        int k,
        ReadOnlySpan<float> values,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<int> rowStarts,
        ReadOnlySpan<float> w,
        Span<float> c,
        int threads = 1)
    {
        Validate(m, n, k, values, indices, rowStarts, w, c, threads);
        var nonZeros = m == 0 ? 0 : rowStarts[m] - rowStarts[0];
        var work = new ForwardWork(m, n, k, values, indices, rowStarts, w, c, Parts(n, (long)n * nonZeros, threads, out var parts));
        WorkerPool.Shared.Run(parts, threads, ref work);
    }

    /// <summary>
    /// <c>G [n, k] (+)= Dᵀ · A</c> with <c>D [m, n]</c> dense and A <c>[m, k]</c> sparse: <c>G[j, i] (+)= Σᵣ D[r, j]·A[r, i]</c>,
    /// the weight gradient <c>dW = dyᵀ·x</c>. Without <paramref name="accumulate"/> every element of G is written (those
    /// of columns no row uses become 0).
    /// </summary>
    public static void TransposeMultiply(
        int m,
        int n,
        int k,
        ReadOnlySpan<float> d,
        ReadOnlySpan<float> values,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<int> rowStarts,
        Span<float> g,
        bool accumulate,
        int threads = 1)
    {
        Validate(m, n, k, values, indices, rowStarts, d, g, threads, gradient: true);
        var nonZeros = m == 0 ? 0 : rowStarts[m] - rowStarts[0];
        var work = new GradientWork(m, n, k, d, values, indices, rowStarts, g, accumulate, Parts(n, (long)n * (nonZeros + (accumulate ? 0 : k)), threads, out var parts));
        WorkerPool.Shared.Run(parts, threads, ref work);
    }

    /// <summary>Units per part, and the number of parts: one part when the work is small.</summary>
    private static int Parts(int n, long work, int threads, out int parts)
    {
        var wanted = work < ThreadedWork || threads == 1 ? 1 : Math.Min(n, threads * PartsPerThread);
        var unitsPerPart = Math.Max(1, (n + wanted - 1) / Math.Max(wanted, 1));
        parts = n == 0 ? 0 : (n + unitsPerPart - 1) / unitsPerPart;
        return unitsPerPart;
    }

    private static void Validate(
        int m,
        int n,
        int k,
        ReadOnlySpan<float> values,
        ReadOnlySpan<int> indices,
        ReadOnlySpan<int> rowStarts,
        ReadOnlySpan<float> dense,
        ReadOnlySpan<float> result,
        int threads,
        bool gradient = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (rowStarts.Length < m + 1)
        {
            throw new ArgumentException($"{m} sparse rows need {m + 1} row starts; received {rowStarts.Length}.", nameof(rowStarts));
        }

        var end = rowStarts[m];
        if (rowStarts[0] < 0 || end < rowStarts[0] || end > values.Length || end > indices.Length)
        {
            throw new ArgumentException($"The sparse rows hold the values [{rowStarts[0]}, {end}); received {values.Length} values and {indices.Length} indices.", nameof(rowStarts));
        }

        var (denseLength, resultLength) = gradient ? ((long)m * n, (long)n * k) : ((long)n * k, (long)m * n);
        if (dense.Length < denseLength || result.Length < resultLength)
        {
            throw new ArgumentException($"A sparse [{m}, {k}] product with {n} units needs {denseLength} dense values and room for {resultLength} results; received {dense.Length} and {result.Length}.");
        }
    }

    /// <summary>Part p computes the columns <c>[p·units, (p + 1)·units)</c> of C: one gather per non-zero and unit.</summary>
    private readonly ref struct ForwardWork : IParallelWork
    {
        private readonly int _m;
        private readonly int _n;
        private readonly int _k;
        private readonly ReadOnlySpan<float> _values;
        private readonly ReadOnlySpan<int> _indices;
        private readonly ReadOnlySpan<int> _rowStarts;
        private readonly ReadOnlySpan<float> _w;
        private readonly Span<float> _c;
        private readonly int _units;

        public ForwardWork(int m, int n, int k, ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts, ReadOnlySpan<float> w, Span<float> c, int units)
        {
            (_m, _n, _k, _units) = (m, n, k, units);
            _values = values;
            _indices = indices;
            _rowStarts = rowStarts;
            _w = w;
            _c = c;
        }

        public void Execute(int part)
        {
            var j = part * _units;
            var last = Math.Min(_n, (part + 1) * _units);
            // Four units at a time: each non-zero's value and column are read once for four gathers, which also gives
            // four independent sums in flight while the gathers wait on memory.
            for (; j + UnitsPerPass <= last; j += UnitsPerPass)
            {
                var w0 = _w.Slice(j * _k, _k);
                var w1 = _w.Slice((j + 1) * _k, _k);
                var w2 = _w.Slice((j + 2) * _k, _k);
                var w3 = _w.Slice((j + 3) * _k, _k);
                Touch(_w.Slice(j * _k, UnitsPerPass * _k));
                for (var r = 0; r < _m; r++)
                {
                    var start = _rowStarts[r];
                    var values = _values[start.._rowStarts[r + 1]];
                    var indices = _indices.Slice(start, values.Length);
                    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                    for (var p = 0; p < values.Length; p++)
                    {
                        var v = values[p];
                        var i = indices[p];
                        s0 += v * w0[i];
                        s1 += v * w1[i];
                        s2 += v * w2[i];
                        s3 += v * w3[i];
                    }

                    var c = _c.Slice((r * _n) + j, UnitsPerPass);
                    (c[0], c[1], c[2], c[3]) = (s0, s1, s2, s3);
                }
            }

            for (; j < last; j++)
            {
                var weight = _w.Slice(j * _k, _k);
                for (var r = 0; r < _m; r++)
                {
                    var start = _rowStarts[r];
                    var values = _values[start.._rowStarts[r + 1]];
                    var indices = _indices.Slice(start, values.Length);
                    var sum = 0f;
                    for (var p = 0; p < values.Length; p++)
                    {
                        sum += values[p] * weight[indices[p]];
                    }

                    _c[(r * _n) + j] = sum;
                }
            }
        }
    }

    /// <summary>
    /// Reads <paramref name="rows"/> in order, one value per 64-byte line, so that the hardware prefetcher streams them
    /// into the cache before the gathers, which would otherwise wait on memory one random line at a time.
    /// </summary>
    private static void Touch(ReadOnlySpan<float> rows)
    {
        ref var first = ref MemoryMarshal.GetReference(rows);
        for (var i = 0; i < rows.Length; i += 16)
        {
            _ = Volatile.Read(ref Unsafe.Add(ref first, i));
        }
    }

    /// <summary>Part p writes the rows <c>[p·units, (p + 1)·units)</c> of G: one scatter per non-zero and unit.</summary>
    private readonly ref struct GradientWork : IParallelWork
    {
        private readonly int _m;
        private readonly int _n;
        private readonly int _k;
        private readonly ReadOnlySpan<float> _d;
        private readonly ReadOnlySpan<float> _values;
        private readonly ReadOnlySpan<int> _indices;
        private readonly ReadOnlySpan<int> _rowStarts;
        private readonly Span<float> _g;
        private readonly bool _accumulate;
        private readonly int _units;

        public GradientWork(int m, int n, int k, ReadOnlySpan<float> d, ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts, Span<float> g, bool accumulate, int units)
        {
            (_m, _n, _k, _accumulate, _units) = (m, n, k, accumulate, units);
            _d = d;
            _values = values;
            _indices = indices;
            _rowStarts = rowStarts;
            _g = g;
        }

        public void Execute(int part)
        {
            var j = part * _units;
            var last = Math.Min(_n, (part + 1) * _units);
            // Four units at a time, as the forward product goes.
            for (; j + UnitsPerPass <= last; j += UnitsPerPass)
            {
                var g0 = Row(j);
                var g1 = Row(j + 1);
                var g2 = Row(j + 2);
                var g3 = Row(j + 3);
                for (var r = 0; r < _m; r++)
                {
                    var dy = _d.Slice((r * _n) + j, UnitsPerPass);
                    var (d0, d1, d2, d3) = (dy[0], dy[1], dy[2], dy[3]);
                    var start = _rowStarts[r];
                    var values = _values[start.._rowStarts[r + 1]];
                    var indices = _indices.Slice(start, values.Length);
                    for (var p = 0; p < values.Length; p++)
                    {
                        var v = values[p];
                        var i = indices[p];
                        g0[i] += d0 * v;
                        g1[i] += d1 * v;
                        g2[i] += d2 * v;
                        g3[i] += d3 * v;
                    }
                }
            }

            for (; j < last; j++)
            {
                var gradient = Row(j);
                for (var r = 0; r < _m; r++)
                {
                    var dy = _d[(r * _n) + j];
                    var start = _rowStarts[r];
                    var values = _values[start.._rowStarts[r + 1]];
                    var indices = _indices.Slice(start, values.Length);
                    for (var p = 0; p < values.Length; p++)
                    {
                        gradient[indices[p]] += dy * values[p];
                    }
                }
            }
        }

        /// <summary>Row <paramref name="j"/> of G, cleared first unless accumulating.</summary>
        private Span<float> Row(int j)
        {
            var row = _g.Slice(j * _k, _k);
            if (!_accumulate)
            {
                row.Clear();
            }

            return row;
        }
    }
}
