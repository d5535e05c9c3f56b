using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// The one generic loop per arity that runs an elementwise operator over spans: blocks of the widest
/// accelerated width (Vector512, else Vector256, else Vector128), then the narrower widths take what is left,
/// then scalars, so every element is visited exactly once whatever the length. Because each block is loaded before it is stored, the destination may be the
/// very same memory as any input (in-place); partially overlapping spans are not supported. Nothing is allocated.
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
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref ar, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref ar, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref ar, i)).StoreUnsafe(ref dr, i);
            }
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
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i)).StoreUnsafe(ref dr, i);
            }
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
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), Vector512.LoadUnsafe(ref cr, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), Vector256.LoadUnsafe(ref cr, i)).StoreUnsafe(ref dr, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i), Vector128.LoadUnsafe(ref cr, i)).StoreUnsafe(ref dr, i);
            }
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

    private static void ThrowLengthMismatch(int a, int b, int c, int destination) =>
        throw new ArgumentException($"Elementwise spans must have equal lengths. Received: inputs {a}, {b}, {c} and destination {destination}.");
}
