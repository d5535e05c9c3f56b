using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.Compute;

/// <summary>
/// The one generic loop per arity that runs an elementwise operator over spans: blocks of the widest
/// accelerated width (512 bits, else 256, else 128), then the narrower widths take what is left,
/// then scalars, so every element is visited exactly once whatever the length. Because each block is loaded before it
/// is stored, the destination may be the very same memory as any input (in-place); partially overlapping spans are not
/// supported. Nothing is allocated.
/// </summary>
internal static class Elementwise
{
    /// <summary>Writes <c>d[i] = op(a[i])</c>.</summary>
    public static void Unary<TOperator>(ReadOnlySpan<float> a, Span<float> destination, TOperator op)
        where TOperator : struct, IUnaryOperator
    {
        CheckLengths(a.Length, a.Length, a.Length, destination.Length);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)a.Length;
        nuint i = 0;
        if (Simd512.IsHardwareAccelerated)
        {
            i = Unary<Simd512, TOperator>(ref ar, ref dr, i, n, op);
        }

        if (Simd256.IsHardwareAccelerated)
        {
            i = Unary<Simd256, TOperator>(ref ar, ref dr, i, n, op);
        }

        if (Simd128.IsHardwareAccelerated)
        {
            i = Unary<Simd128, TOperator>(ref ar, ref dr, i, n, op);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref ar, i));
        }
    }

    /// <summary>Writes <c>d[i] = op(a[i], b[i])</c>.</summary>
    public static void Binary<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, TOperator op)
        where TOperator : struct, IBinaryOperator
    {
        CheckLengths(a.Length, b.Length, a.Length, destination.Length);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)a.Length;
        nuint i = 0;
        if (Simd512.IsHardwareAccelerated)
        {
            i = Binary<Simd512, TOperator>(ref ar, ref br, ref dr, i, n, op);
        }

        if (Simd256.IsHardwareAccelerated)
        {
            i = Binary<Simd256, TOperator>(ref ar, ref br, ref dr, i, n, op);
        }

        if (Simd128.IsHardwareAccelerated)
        {
            i = Binary<Simd128, TOperator>(ref ar, ref br, ref dr, i, n, op);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
        }
    }

    /// <summary>Writes <c>d[i] = op(a[i], b[i], c[i])</c>; <paramref name="destination"/> may alias <paramref name="c"/> to accumulate.</summary>
    public static void Ternary<TOperator>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> destination, TOperator op)
        where TOperator : struct, ITernaryOperator
    {
        CheckLengths(a.Length, b.Length, c.Length, destination.Length);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var dr = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)a.Length;
        nuint i = 0;
        if (Simd512.IsHardwareAccelerated)
        {
            i = Ternary<Simd512, TOperator>(ref ar, ref br, ref cr, ref dr, i, n, op);
        }

        if (Simd256.IsHardwareAccelerated)
        {
            i = Ternary<Simd256, TOperator>(ref ar, ref br, ref cr, ref dr, i, n, op);
        }

        if (Simd128.IsHardwareAccelerated)
        {
            i = Ternary<Simd128, TOperator>(ref ar, ref br, ref cr, ref dr, i, n, op);
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), Unsafe.Add(ref cr, i));
        }
    }

    /// <summary>Throws unless all four lengths are equal (the rule every elementwise kernel follows).</summary>
    public static void CheckLengths(int a, int b, int c, int destination)
    {
        if (a != b || a != c || a != destination)
        {
            ThrowLengthMismatch(a, b, c, destination);
        }
    }

    /// <summary>Whole vectors of <typeparamref name="TVec"/> from element <paramref name="i"/> on; returns where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Unary<TVec, TOperator>(ref float ar, ref float dr, nuint i, nuint n, TOperator op)
        where TVec : struct, ISimd<TVec>
        where TOperator : struct, IUnaryOperator
    {
        for (; i + (nuint)TVec.Count <= n; i += (nuint)TVec.Count)
        {
            op.Invoke(TVec.Load(ref ar, i)).Store(ref dr, i);
        }

        return i;
    }

    /// <summary>Whole vectors of <typeparamref name="TVec"/> from element <paramref name="i"/> on; returns where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Binary<TVec, TOperator>(ref float ar, ref float br, ref float dr, nuint i, nuint n, TOperator op)
        where TVec : struct, ISimd<TVec>
        where TOperator : struct, IBinaryOperator
    {
        for (; i + (nuint)TVec.Count <= n; i += (nuint)TVec.Count)
        {
            op.Invoke(TVec.Load(ref ar, i), TVec.Load(ref br, i)).Store(ref dr, i);
        }

        return i;
    }

    /// <summary>Whole vectors of <typeparamref name="TVec"/> from element <paramref name="i"/> on; returns where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Ternary<TVec, TOperator>(ref float ar, ref float br, ref float cr, ref float dr, nuint i, nuint n, TOperator op)
        where TVec : struct, ISimd<TVec>
        where TOperator : struct, ITernaryOperator
    {
        for (; i + (nuint)TVec.Count <= n; i += (nuint)TVec.Count)
        {
            op.Invoke(TVec.Load(ref ar, i), TVec.Load(ref br, i), TVec.Load(ref cr, i)).Store(ref dr, i);
        }

        return i;
    }

    private static void ThrowLengthMismatch(int a, int b, int c, int destination) =>
        throw new ArgumentException($"Elementwise spans must have equal lengths. Received: inputs {a}, {b}, {c} and destination {destination}.");
}
