namespace MlNetDeep.Compute;

/// <summary>
/// General matrix multiplication on row-major float matrices:
/// <c>C[m×n] = op(A)[m×k] · op(B)[k×n]</c>, or <c>C += …</c> when accumulating.
/// <c>op(A)</c> is A stored <c>[m, k]</c>, or Aᵀ with A stored <c>[k, m]</c> when <c>transposeA</c>;
/// likewise <c>op(B)</c> is B stored <c>[k, n]</c>, or Bᵀ with B stored <c>[n, k]</c>.
/// Training uses three forms: <c>A·B</c>, <c>A·Bᵀ</c> (dense forward, input gradient) and <c>Aᵀ·B</c> (weight gradient).
/// </summary>
internal static class Gemm
{
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
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException($"GEMM {m}×{k}·{k}×{n}: buffers too small (A {a.Length}, B {b.Length}, C {c.Length}).");
        }

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                {
                    var av = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                    var bv = transposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += av * bv;
                }

                c[(i * n) + j] = accumulate ? c[(i * n) + j] + sum : sum;
            }
        }
    }
}
