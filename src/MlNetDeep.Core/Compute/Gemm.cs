using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MlNetDeep.Compute;

/// <summary>
/// General matrix multiplication on row-major float matrices:
/// <c>C[m×n] = op(A)[m×k] · op(B)[k×n]</c>, or <c>C += …</c> when accumulating.
/// <c>op(A)</c> is A stored <c>[m, k]</c>, or Aᵀ with A stored <c>[k, m]</c> when <c>transposeA</c>;
/// likewise <c>op(B)</c> is B stored <c>[k, n]</c>, or Bᵀ with B stored <c>[n, k]</c>.
/// Training uses three forms: <c>A·B</c>, <c>A·Bᵀ</c> (dense forward, input gradient) and <c>Aᵀ·B</c> (weight gradient).
/// </summary>
/// <remarks>
/// <para>
/// Large products are cache-blocked in the usual three levels: a <see cref="Kc"/>×<see cref="Nc"/>
/// panel of op(B) and an <see cref="Mc"/>×<see cref="Kc"/> block of op(A) are packed into
/// per-thread buffers (the transposes are absorbed by the packing), and a register-tiled micro-kernel
/// computes <see cref="Mr"/>×<c>Nr</c> tiles of C with fused multiply-adds: 8×32 at 512 bits,
/// 8×16 at 256 bits, 8×8 at 128 bits and scalar, chosen at run time (<see cref="BestKernel"/>).
/// The kernel starts its accumulators at zero and adds C once at the end.
/// </para>
/// <para>
/// Threads split C into independent column ranges (when n ≥ m) or row ranges, never K, and every
/// element of C is computed by the same sequence of operations whatever the split and whatever the
/// kernel width, so results are bit-identical for any thread count.
/// Products with <c>m·n·k</c> below <see cref="SmallProduct"/> take a direct single-threaded path.
/// After the first call on a thread, calls allocate no managed memory.
/// </para>
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Rows of the micro-tile of C (rows of A packed together).</summary>
    public const int Mr = 8;

    /// <summary>Largest depth of a packed block; K is cut into equal blocks no deeper than this.</summary>
    /// <remarks>
    /// A B micro-panel (Kc×32 at 512 bits) stays in the 48 KB L1 cache while the A micro-panels stream past it only
    /// if it takes about half of it: 784 is cut into four blocks of 196 (25 KB). Measured on this project's machine
    /// class against 384 (two blocks of 392, 50 KB), in 30 interleaved rounds: 1024×784×512 A·Bᵀ (scoring) 5% faster,
    /// 128×784×512 1–2%, others even.
    /// </remarks>
    public const int Kc = 256;

    /// <summary>Most rows of op(A) packed at once (kept in L2); a thread's rows are cut into equal blocks of whole tiles.</summary>
    public const int Mc = 96;

    /// <summary>Columns of op(B) packed at once.</summary>
    public const int Nc = 4096;

    /// <summary>Products with <c>m·n·k</c> below this take the direct path.</summary>
    public const long SmallProduct = 32 * 1024;

    /// <summary>
    /// At most this many rows of C (one to a few rows scored at a time) also take the direct path: packing B would
    /// read and write all of it for a product that reads it only once or twice.
    /// </summary>
    public const int FewRows = 4;

    /// <summary>
    /// Blocked products with <c>m·n·k</c> below this run on one thread: a hand-off costs more than it saves on a
    /// product this small (a network's narrow output layer), all the more when the workers have to be woken.
    /// </summary>
    public const long ThreadedProduct = 1024 * 1024;

    /// <summary>Few-rows products with <c>m·n·k</c> below this run on one thread; above it each thread reads its own part of B.</summary>
    public const long ThreadedFewRowsProduct = 64 * 1024;

    /// <summary>The widest micro-kernel this machine runs natively.</summary>
    public static readonly GemmKernel BestKernel =
        Simd512.IsHardwareAccelerated || Avx512F.IsSupported ? GemmKernel.Simd512
        : Simd256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Simd256
        : Simd128.IsHardwareAccelerated ? GemmKernel.Simd128
        : GemmKernel.Scalar;

    /// <summary>Computes <c>C (+)= op(A)·op(B)</c>.</summary>
    /// <param name="transposeA">Whether A is stored <c>[k, m]</c>.</param>
    /// <param name="transposeB">Whether B is stored <c>[n, k]</c>.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="a">A, row-major.</param>
    /// <param name="b">B, row-major.</param>
    /// <param name="c">C <c>[m, n]</c>, row-major.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="threads">How many threads may share the work (at least 1).</param>
    public static void Multiply(
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        ReadOnlySpan<float> a,
        ReadOnlySpan<float> b,
        Span<float> c,
        bool accumulate,
        int threads = 1)
    {
        Validate(m, n, k, a, b, c, threads);
        if (HandleDegenerate(m, n, k, c, accumulate))
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var operands = new Operands(transposeA, transposeB, m, n, k, pa, pb, pc, accumulate);
            if ((long)m * n * k < SmallProduct)
            {
                MultiplySmall(operands);
            }
            else if (m <= FewRows && !transposeA)
            {
                MultiplySmallThreaded(operands, (long)m * n * k < ThreadedFewRowsProduct ? 1 : threads);
            }
            else
            {
                MultiplyBlocked(BestKernel, operands, (long)m * n * k < ThreadedProduct ? 1 : threads);
            }
        }
    }

    /// <summary>
    /// The blocked path with a chosen micro-kernel, whatever the size (tests compare the kernels;
    /// benchmarks time them). Same arguments and result as <see cref="Multiply"/>.
    /// </summary>
    /// <param name="kernel">The micro-kernel; one this machine cannot run natively is emulated (slowly).</param>
    /// <param name="transposeA">Whether A is stored <c>[k, m]</c>.</param>
    /// <param name="transposeB">Whether B is stored <c>[n, k]</c>.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The shared dimension.</param>
    /// <param name="a">A, row-major.</param>
    /// <param name="b">B, row-major.</param>
    /// <param name="c">C <c>[m, n]</c>, row-major.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="threads">How many threads may share the work (at least 1).</param>
    internal static void MultiplyBlocked(
        GemmKernel kernel,
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        ReadOnlySpan<float> a,
        ReadOnlySpan<float> b,
        Span<float> c,
        bool accumulate,
        int threads = 1)
    {
        Validate(m, n, k, a, b, c, threads);
        if (HandleDegenerate(m, n, k, c, accumulate))
        {
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            MultiplyBlocked(kernel, new Operands(transposeA, transposeB, m, n, k, pa, pb, pc, accumulate), threads);
        }
    }

    private static void Validate(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"GEMM {m}×{k}·{k}×{n}: buffers too small (A {a.Length}, B {b.Length}, C {c.Length}).");
        }
    }

    /// <summary>Finishes empty products: nothing to do when m or n is 0; C = 0 (or unchanged) when k is 0.</summary>
    private static bool HandleDegenerate(int m, int n, int k, Span<float> c, bool accumulate)
    {
        if (m == 0 || n == 0)
        {
            return true;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// The direct path for small products: rows of C as sums of scaled rows of B when B is not
    /// transposed, else as dot products of a row of op(A) with rows of B.
    /// </summary>
    private static void MultiplySmall(in Operands o) => MultiplySmall(o, 0, o.N);

    /// <summary>
    /// The few-rows path split over threads by ranges of columns of C (whole multiples of 16). Every element of C is
    /// computed by the same operations whatever the split, so the result does not depend on the thread count.
    /// </summary>
    private static void MultiplySmallThreaded(in Operands o, int threads)
    {
        var parts = Math.Min(threads, (o.N + 15) / 16);
        if (parts <= 1)
        {
            MultiplySmall(o, 0, o.N);
            return;
        }

        // Pinned: each thread reads the same columns of B (a layer's weights) in every call, from its own cache.
        var work = new SmallWork(o, parts);
        WorkerPool.Shared.Run(parts, parts, ref work, pinned: true);
    }

    /// <summary>The direct path over columns <c>[j0, j1)</c> of C.</summary>
    private static void MultiplySmall(in Operands o, int j0, int j1)
    {
        var (m, n, k) = (o.M, o.N, o.K);
        if (!o.TransposeB)
        {
            for (var i = 0; i < m; i++)
            {
                for (var p = 0; p < k; p++)
                {
                    var alpha = o.TransposeA ? o.A[((nint)p * m) + i] : o.A[((nint)i * k) + p];
                    ScaledRowAdd(o.B + ((nint)p * n) + j0, alpha, o.C + ((nint)i * n) + j0, j1 - j0, overwrite: p == 0 && !o.Accumulate);
                }
            }

            return;
        }

        // k < SmallProduct ≤ the pack buffer of A, which holds a gathered column of a transposed A.
        var column = o.TransposeA ? Scratch.ForCurrentThread().A : null;
        for (var i = 0; i < m; i++)
        {
            ReadOnlySpan<float> aRow;
            if (o.TransposeA)
            {
                for (var p = 0; p < k; p++)
                {
                    column[p] = o.A[((nint)p * m) + i];
                }

                aRow = new ReadOnlySpan<float>(column, k);
            }
            else
            {
                aRow = new ReadOnlySpan<float>(o.A + ((nint)i * k), k);
            }

            var cRow = o.C + ((nint)i * n);
            if (Simd512.IsHardwareAccelerated && Avx.IsSupported)
            {
                fixed (float* x = aRow)
                {
                    for (var j = j0; j < j1; j += 8)
                    {
                        DotEightRows(x, o.B, k, j, Math.Min(8, j1 - j), cRow, o.Accumulate);
                    }
                }

                continue;
            }

            for (var j = j0; j < j1; j++)
            {
                var dot = TensorPrimitives.Dot(aRow, new ReadOnlySpan<float>(o.B + ((nint)j * k), k));
                cRow[j] = o.Accumulate ? cRow[j] + dot : dot;
            }
        }
    }

    /// <summary>
    /// <c>c[j + r] (+)= x·b[j + r]</c> for <paramref name="rows"/> ≤ 8 consecutive rows of B <c>[n, k]</c>. Eight chains of
    /// 512-bit fused multiply-adds share each load of x (a lone dot product waits on its own chain); the eight
    /// accumulators are then summed by one transposing tree, and the tail of k by scalar fused multiply-adds. Every row
    /// goes through the same operations in the same order, wherever it falls in the eight (fewer rows repeat the last
    /// one), so a row's value depends on nothing but its inputs.
    /// </summary>
    private static void DotEightRows(float* x, float* b, int k, int j, int rows, float* c, bool accumulate)
    {
        var b0 = RowOf(b, k, j, 0, rows);
        var b1 = RowOf(b, k, j, 1, rows);
        var b2 = RowOf(b, k, j, 2, rows);
        var b3 = RowOf(b, k, j, 3, rows);
        var b4 = RowOf(b, k, j, 4, rows);
        var b5 = RowOf(b, k, j, 5, rows);
        var b6 = RowOf(b, k, j, 6, rows);
        var b7 = RowOf(b, k, j, 7, rows);
        // Plain vectors, not the wrappers: eight wrapped accumulators updated in place are not all kept in registers here,
        // which made one row through 784→512 three times slower.
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        var p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var vx = Vector512.Load(x + p);
            s0 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b0 + p), s0);
            s1 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b1 + p), s1);
            s2 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b2 + p), s2);
            s3 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b3 + p), s3);
            s4 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b4 + p), s4);
            s5 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b5 + p), s5);
            s6 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b6 + p), s6);
            s7 = Vector512.FusedMultiplyAdd(vx, Vector512.Load(b7 + p), s7);
        }

        var sums = Simd512.SumEach(new(s0), new(s1), new(s2), new(s3), new(s4), new(s5), new(s6), new(s7)).Value;
        for (var r = 0; r < rows; r++)
        {
            var dot = sums.GetElement(r);
            var row = b + ((nint)(j + r) * k);
            for (var q = p; q < k; q++)
            {
                dot = MathF.FusedMultiplyAdd(x[q], row[q], dot);
            }

            c[j + r] = accumulate ? c[j + r] + dot : dot;
        }

        static float* RowOf(float* b, int k, int j, int r, int rows) => b + ((nint)(j + Math.Min(r, rows - 1)) * k);
    }

    /// <summary>Part <c>i</c> of <c>parts</c> computes the i-th of equal runs of 16-column groups of C on the direct path.</summary>
    private readonly struct SmallWork(in Operands operands, int parts) : IParallelWork
    {
        private readonly Operands _operands = operands;

        public void Execute(int part)
        {
            var groups = (_operands.N + 15) / 16;
            var first = (int)((long)groups * part / parts) * 16;
            var last = Math.Min(_operands.N, (int)((long)groups * (part + 1) / parts) * 16);
            if (first < last)
            {
                MultiplySmall(_operands, first, last);
            }
        }
    }

    /// <summary>
    /// <c>c[j] = α·b[j]</c> (overwrite) or <c>c[j] = fma(α, b[j], c[j])</c> for <c>j &lt; n</c>, with the same fused
    /// operation in every vector lane and in the scalar tail, so equal inputs give equal outputs in every column
    /// (units that start equal stay equal, as the symmetry of constant initialization requires).
    /// </summary>
    private static void ScaledRowAdd(float* b, float alpha, float* c, int n, bool overwrite)
    {
        var j = 0;
        if (Simd512.IsHardwareAccelerated)
        {
            j = ScaledRowAdd<Simd512>(b, alpha, c, j, n, overwrite);
        }

        if (Simd256.IsHardwareAccelerated)
        {
            j = ScaledRowAdd<Simd256>(b, alpha, c, j, n, overwrite);
        }

        for (; j < n; j++)
        {
            c[j] = overwrite ? alpha * b[j] : MathF.FusedMultiplyAdd(alpha, b[j], c[j]);
        }
    }

    /// <summary>Whole vectors of <see cref="ScaledRowAdd(float*, float, float*, int, bool)"/> from column <paramref name="j"/> on; returns where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScaledRowAdd<TVec>(float* b, float alpha, float* c, int j, int n, bool overwrite)
        where TVec : struct, ISimd<TVec>
    {
        var va = TVec.Create(alpha);
        for (; j + TVec.Count <= n; j += TVec.Count)
        {
            var vb = TVec.Load(b + j);
            (overwrite ? va * vb : TVec.FusedMultiplyAdd(va, vb, TVec.Load(c + j))).Store(c + j);
        }

        return j;
    }

    private static void MultiplyBlocked(GemmKernel kernel, in Operands o, int threads)
    {
        switch (kernel)
        {
            case GemmKernel.Simd512:
                Split<KernelSimd<Simd512>>(o, threads);
                break;
            case GemmKernel.Simd256:
                Split<KernelSimd<Simd256>>(o, threads);
                break;
            case GemmKernel.Simd128:
                Split<KernelSimd<Simd128>>(o, threads);
                break;
            case GemmKernel.Scalar:
                Split<KernelScalar>(o, threads);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Unknown GEMM kernel.");
        }
    }

    /// <summary>
    /// Splits C into <c>parts ≤ threads</c> ranges of whole micro-tiles, by columns when n ≥ m else
    /// by rows, and runs each range on the worker pool (one range inline when single-threaded).
    /// </summary>
    private static void Split<TKernel>(in Operands o, int threads)
        where TKernel : IMicroKernel
    {
        var byColumns = o.N >= o.M;
        var tiles = byColumns ? (o.N + TKernel.Nr - 1) / TKernel.Nr : (o.M + Mr - 1) / Mr;
        var parts = Math.Min(Math.Min(threads, tiles), WorkerPool.Shared.MaxThreads);
        var work = new BlockedWork<TKernel>(o, byColumns, tiles, parts);
        if (parts == 1)
        {
            work.Execute(0);
        }
        else
        {
            WorkerPool.Shared.Run(parts, parts, ref work);
        }
    }

    /// <summary>
    /// Computes the block <c>C[row0:row1, col0:col1]</c>: packs op(B) panels and op(A) blocks into
    /// this thread's buffers and runs the micro-kernel over every tile (edge tiles through a
    /// temporary tile, so they get exactly the same arithmetic).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBlock<TKernel>(in Operands o, int row0, int row1, int col0, int col1)
        where TKernel : IMicroKernel
    {
        var nr = TKernel.Nr;
        var n = o.N;
        var k = o.K;
        var scratch = Scratch.ForCurrentThread();
        var packA = scratch.A;
        var packB = scratch.EnsureB((nint)Math.Min(Kc, k) * RoundUp(Math.Min(Nc, col1 - col0), nr));
        var tile = stackalloc float[Mr * 32];

        // Blocks of equal size rather than full blocks and a thin remainder (784 = 4 × 196, not 3 × 256 + 16).
        // The K blocking depends on k alone, so every split of C sums in the same order.
        var kcStep = DivideUp(k, DivideUp(k, Kc));
        var mcStep = RoundUp(DivideUp(row1 - row0, DivideUp(row1 - row0, Mc)), Mr);
        for (var jc = col0; jc < col1; jc += Nc)
        {
            var nc = Math.Min(Nc, col1 - jc);
            for (var pc = 0; pc < k; pc += kcStep)
            {
                var kc = Math.Min(kcStep, k - pc);
                PackB<TKernel>(o, pc, kc, jc, nc, packB);
                var add = o.Accumulate || pc > 0;
                for (var ic = row0; ic < row1; ic += mcStep)
                {
                    var mc = Math.Min(mcStep, row1 - ic);
                    PackA(o, ic, mc, pc, kc, packA);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var cols = Math.Min(nr, nc - jr);
                        var bPanel = packB + ((nint)jr * kc);
                        for (var ir = 0; ir < mc; ir += Mr)
                        {
                            var rows = Math.Min(Mr, mc - ir);
                            var aPanel = packA + ((nint)ir * kc);
                            var cTile = o.C + ((nint)(ic + ir) * n) + jc + jr;
                            if (rows == Mr && cols == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cTile, n, add);
                            }
                            else
                            {
                                TKernel.Run(kc, aPanel, bPanel, tile, nr, add: false);
                                for (var i = 0; i < rows; i++)
                                {
                                    var src = tile + (i * nr);
                                    var dst = cTile + ((nint)i * n);
                                    for (var j = 0; j < cols; j++)
                                    {
                                        dst[j] = add ? dst[j] + src[j] : src[j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs rows <c>[i0, i0+mc)</c>, depths <c>[p0, p0+kc)</c> of op(A) as panels of <see cref="Mr"/> rows:
    /// panel r holds <c>dst[r·kc·Mr + p·Mr + i] = op(A)[i0 + r·Mr + i, p0 + p]</c>, zero past row mc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(in Operands o, int i0, int mc, int p0, int kc, float* dst)
    {
        var (m, k) = (o.M, o.K);
        if (o.TransposeA)
        {
            // op(A)[i, p] = A[p, i]: depth p is a contiguous run of rows, read once in order and
            // dealt out to the panels (panel r starts at dst + r·kc when r counts rows).
            var fullRows = mc - (mc % Mr);
            for (var p = 0; p < kc; p++)
            {
                var src = o.A + ((nint)(p0 + p) * m) + i0;
                var d = dst + (p * Mr);
                var r = 0;
                for (; r < fullRows; r += Mr)
                {
                    if (Simd256.IsHardwareAccelerated)
                    {
                        Simd256.Load(src + r).Store(d + ((nint)r * kc));
                    }
                    else
                    {
                        Unsafe.CopyBlockUnaligned(d + ((nint)r * kc), src + r, Mr * sizeof(float));
                    }
                }

                if (r < mc)
                {
                    for (var i = 0; i < Mr; i++)
                    {
                        d[((nint)r * kc) + i] = r + i < mc ? src[r + i] : 0f;
                    }
                }
            }

            return;
        }

        // op(A)[i, p] = A[i, p]: each row is a contiguous run of depths; 8 rows by 8 depths at a time.
        for (var r = 0; r < mc; r += Mr, dst += (nint)kc * Mr)
        {
            var rows = Math.Min(Mr, mc - r);
            var src = o.A + ((nint)(i0 + r) * k) + p0;
            if (rows == Mr)
            {
                var p = 0;
                if (Avx.IsSupported)
                {
                    for (; p + 8 <= kc; p += 8)
                    {
                        Transpose8x8(src + p, k, dst + (p * Mr), Mr);
                    }
                }

                for (; p < kc; p++)
                {
                    var d = dst + (p * Mr);
                    for (var i = 0; i < Mr; i++)
                    {
                        d[i] = src[((nint)i * k) + p];
                    }
                }
            }
            else
            {
                for (var p = 0; p < kc; p++)
                {
                    var d = dst + (p * Mr);
                    for (var i = 0; i < Mr; i++)
                    {
                        d[i] = i < rows ? src[((nint)i * k) + p] : 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs depths <c>[p0, p0+kc)</c>, columns <c>[j0, j0+nc)</c> of op(B) as panels of <c>Nr</c> columns:
    /// panel r holds <c>dst[r·kc·Nr + p·Nr + j] = op(B)[p0 + p, j0 + r·Nr + j]</c>, zero past column nc.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB<TKernel>(in Operands o, int p0, int kc, int j0, int nc, float* dst)
        where TKernel : IMicroKernel
    {
        var nr = TKernel.Nr;
        var (n, k) = (o.N, o.K);
        if (!o.TransposeB)
        {
            // op(B)[p, j] = B[p, j]: depth p is a contiguous run of columns, read once in order and
            // dealt out to the panels (panel r starts at dst + jr·kc when jr counts columns).
            var fullCols = nc - (nc % nr);
            for (var p = 0; p < kc; p++)
            {
                var src = o.B + ((nint)(p0 + p) * n) + j0;
                var d = dst + (p * nr);
                var jr = 0;
                for (; jr < fullCols; jr += nr)
                {
                    Unsafe.CopyBlockUnaligned(d + ((nint)jr * kc), src + jr, (uint)(nr * sizeof(float)));
                }

                if (jr < nc)
                {
                    for (var j = 0; j < nr; j++)
                    {
                        d[((nint)jr * kc) + j] = jr + j < nc ? src[jr + j] : 0f;
                    }
                }
            }

            return;
        }

        // op(B)[p, j] = B[j, p]: each column is a contiguous run of depths.
        for (var jr = 0; jr < nc; jr += nr, dst += (nint)kc * nr)
        {
            var cols = Math.Min(nr, nc - jr);
            var src = o.B + ((nint)(j0 + jr) * k) + p0;
            var j = 0;
            if (Avx.IsSupported)
            {
                // Whole groups of 8 columns by 8 depths as register transposes; the rest one by one.
                var p8 = kc & ~7;
                for (; j + 8 <= cols; j += 8)
                {
                    for (var p = 0; p < p8; p += 8)
                    {
                        Transpose8x8(src + ((nint)j * k) + p, k, dst + (p * nr) + j, nr);
                    }

                    for (var jj = j; jj < j + 8; jj++)
                    {
                        for (var p = p8; p < kc; p++)
                        {
                            dst[(p * nr) + jj] = src[((nint)jj * k) + p];
                        }
                    }
                }
            }

            for (; j < nr; j++)
            {
                var column = src + ((nint)j * k);
                var d = dst + j;
                if (j < cols)
                {
                    for (var p = 0; p < kc; p++)
                    {
                        d[p * nr] = column[p];
                    }
                }
                else
                {
                    for (var p = 0; p < kc; p++)
                    {
                        d[p * nr] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>Writes the transpose of the 8×8 block at <paramref name="src"/> to <paramref name="dst"/>: <c>dst[i·dstStride + j] = src[j·srcStride + i]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + (2 * srcStride));
        var r3 = Avx.LoadVector256(src + (3 * srcStride));
        var r4 = Avx.LoadVector256(src + (4 * srcStride));
        var r5 = Avx.LoadVector256(src + (5 * srcStride));
        var r6 = Avx.LoadVector256(src + (6 * srcStride));
        var r7 = Avx.LoadVector256(src + (7 * srcStride));

        // Pairs of rows interleaved, then pairs of pairs: s0 holds column 0 (low lane) and 4 (high lane) of rows 0–3.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * dstStride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * dstStride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * dstStride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * dstStride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * dstStride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * dstStride), Avx.Permute2x128(s3, s7, 0x31));
    }

    private static int RoundUp(int value, int multiple) => DivideUp(value, multiple) * multiple;

    private static int DivideUp(int value, int divisor) => (value + divisor - 1) / divisor;

    /// <summary>A register-tiled micro-kernel: <c>C[Mr×Nr] (+)= Σ_p a[p, 0:Mr]ᵀ · b[p, 0:Nr]</c> over packed panels.</summary>
    private interface IMicroKernel
    {
        /// <summary>Columns of the micro-tile.</summary>
        static abstract int Nr { get; }

        /// <summary>Computes one full tile.</summary>
        /// <param name="kc">Depth.</param>
        /// <param name="a">Packed A panel <c>[kc, Mr]</c>.</param>
        /// <param name="b">Packed B panel <c>[kc, Nr]</c>.</param>
        /// <param name="c">The tile's first element in C.</param>
        /// <param name="ldc">Row stride of C.</param>
        /// <param name="add">Add the product to C instead of storing it.</param>
        static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, bool add);
    }

    /// <summary>The operands of one call, pinned.</summary>
    private readonly struct Operands(bool transposeA, bool transposeB, int m, int n, int k, float* a, float* b, float* c, bool accumulate)
    {
        public readonly bool TransposeA = transposeA;
        public readonly bool TransposeB = transposeB;
        public readonly int M = m;
        public readonly int N = n;
        public readonly int K = k;
        public readonly float* A = a;
        public readonly float* B = b;
        public readonly float* C = c;
        public readonly bool Accumulate = accumulate;
    }

    /// <summary>Part <c>i</c> of <c>parts</c> computes the i-th of equal runs of whole tiles of C.</summary>
    private readonly struct BlockedWork<TKernel>(in Operands operands, bool byColumns, int tiles, int parts) : IParallelWork
        where TKernel : IMicroKernel
    {
        private readonly Operands _operands = operands;

        public void Execute(int part)
        {
            var o = _operands;
            var tileSize = byColumns ? TKernel.Nr : Mr;
            var extent = byColumns ? o.N : o.M;
            var start = Math.Min(extent, (int)((long)tiles * part / parts) * tileSize);
            var end = Math.Min(extent, (int)((long)tiles * (part + 1) / parts) * tileSize);
            if (start >= end)
            {
                return;
            }

            if (byColumns)
            {
                RunBlock<TKernel>(o, 0, o.M, start, end);
            }
            else
            {
                RunBlock<TKernel>(o, start, end, 0, o.N);
            }
        }
    }

    /// <summary>
    /// One thread's pack buffers, 64-byte aligned native memory: A holds <see cref="Mc"/>×<see cref="Kc"/>
    /// floats; B grows to the largest panel seen. Freed when the thread ends (the holder is finalized).
    /// </summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? t_current;

        private nint _capacityB;

        private Scratch()
        {
            A = (float*)NativeMemory.AlignedAlloc((nuint)(Mc * Kc * sizeof(float)), 64);
        }

        ~Scratch()
        {
            NativeMemory.AlignedFree(A);
            NativeMemory.AlignedFree(B);
        }

        public float* A { get; }

        public float* B { get; private set; }

        public static Scratch ForCurrentThread() => t_current ??= new Scratch();

        /// <summary>Returns B with room for at least <paramref name="floats"/> floats.</summary>
        public float* EnsureB(nint floats)
        {
            if (floats > _capacityB)
            {
                NativeMemory.AlignedFree(B);
                B = null;
                B = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
                _capacityB = floats;
            }

            return B;
        }
    }

    /// <summary>
    /// 8×(2·Count) tile (8×32 at 512 bits, 8×16 at 256, 8×8 at 128): 16 accumulators, one broadcast element of A per row.
    /// </summary>
    private readonly struct KernelSimd<TVec> : IMicroKernel
        where TVec : struct, ISimd<TVec>
    {
        public static int Nr => 2 * TVec.Count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(int kc, float* a, float* b, float* c, nint ldc, bool add)
        {
            if (TVec.Count == 16 && Sse.IsSupported)
            {
                for (var i = 0; i < Mr; i++)
                {
                    Sse.Prefetch0(c + (i * ldc));
                    Sse.Prefetch0(c + (i * ldc) + 16);
                }
            }

            TVec c00 = default, c01 = default, c10 = default, c11 = default;
            TVec c20 = default, c21 = default, c30 = default, c31 = default;
            TVec c40 = default, c41 = default, c50 = default, c51 = default;
            TVec c60 = default, c61 = default, c70 = default, c71 = default;
            for (var p = 0; p < kc; p++, a += Mr, b += 2 * TVec.Count)
            {
                var b0 = TVec.Load(b);
                var b1 = TVec.Load(b + TVec.Count);
                var ai = TVec.Create(a[0]);
                c00.FusedMultiplyAddInPlace(ai, b0);
                c01.FusedMultiplyAddInPlace(ai, b1);
                ai = TVec.Create(a[1]);
                c10.FusedMultiplyAddInPlace(ai, b0);
                c11.FusedMultiplyAddInPlace(ai, b1);
                ai = TVec.Create(a[2]);
                c20.FusedMultiplyAddInPlace(ai, b0);
                c21.FusedMultiplyAddInPlace(ai, b1);
                ai = TVec.Create(a[3]);
                c30.FusedMultiplyAddInPlace(ai, b0);
                c31.FusedMultiplyAddInPlace(ai, b1);
                ai = TVec.Create(a[4]);
                c40.FusedMultiplyAddInPlace(ai, b0);
                c41.FusedMultiplyAddInPlace(ai, b1);
                ai = TVec.Create(a[5]);
                c50.FusedMultiplyAddInPlace(ai, b0);
                c51.FusedMultiplyAddInPlace(ai, b1);
                ai = TVec.Create(a[6]);
                c60.FusedMultiplyAddInPlace(ai, b0);
                c61.FusedMultiplyAddInPlace(ai, b1);
                ai = TVec.Create(a[7]);
                c70.FusedMultiplyAddInPlace(ai, b0);
                c71.FusedMultiplyAddInPlace(ai, b1);
            }

            Put(c, c00, c01, add);
            Put(c + ldc, c10, c11, add);
            Put(c + (2 * ldc), c20, c21, add);
            Put(c + (3 * ldc), c30, c31, add);
            Put(c + (4 * ldc), c40, c41, add);
            Put(c + (5 * ldc), c50, c51, add);
            Put(c + (6 * ldc), c60, c61, add);
            Put(c + (7 * ldc), c70, c71, add);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Put(float* row, TVec v0, TVec v1, bool add)
        {
            if (add)
            {
                v0 = TVec.Load(row) + v0;
                v1 = TVec.Load(row + TVec.Count) + v1;
            }

            v0.Store(row);
            v1.Store(row + TVec.Count);
        }
    }

    /// <summary>8×8 tile in scalar fused multiply-adds, for machines without SIMD.</summary>
    private readonly struct KernelScalar : IMicroKernel
    {
        public static int Nr => 8;

        public static void Run(int kc, float* a, float* b, float* c, nint ldc, bool add)
        {
            var acc = stackalloc float[Mr * 8];
            new Span<float>(acc, Mr * 8).Clear();
            for (var p = 0; p < kc; p++, a += Mr, b += 8)
            {
                for (var i = 0; i < Mr; i++)
                {
                    var ai = a[i];
                    var row = acc + (i * 8);
                    for (var j = 0; j < 8; j++)
                    {
                        row[j] = MathF.FusedMultiplyAdd(ai, b[j], row[j]);
                    }
                }
            }

            for (var i = 0; i < Mr; i++)
            {
                var dst = c + (i * ldc);
                var row = acc + (i * 8);
                for (var j = 0; j < 8; j++)
                {
                    dst[j] = add ? dst[j] + row[j] : row[j];
                }
            }
        }
    }
}
