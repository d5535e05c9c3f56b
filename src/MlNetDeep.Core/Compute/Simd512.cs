using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MlNetDeep.Compute;

/// <summary>
/// The 512-bit width of <see cref="ISimd{TSelf}"/>: 16 lanes of <see cref="Vector512{T}"/>, every member a direct,
/// inlined call of the <see cref="Vector512"/> method of the same name.
/// </summary>
internal struct Simd512 : ISimd<Simd512>
{
    /// <summary>The wrapped vector (writable only for the in-place multiply-adds).</summary>
    public Vector512<float> Value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Simd512(Vector512<float> value) => Value = value;

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<float>.Count;
    }

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated;
    }

    /// <inheritdoc/>
    public static Simd512 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<float>.Zero);
    }

    /// <inheritdoc/>
    public static Simd512 One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<float>.One);
    }

    /// <inheritdoc/>
    public static Simd512 AllBitsSet
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector512<float>.AllBitsSet);
    }

    /// <summary>Unwraps the vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Vector512<float>(Simd512 value) => value.Value;

    /// <summary>Wraps the vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Simd512(Vector512<float> value) => new(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator +(Simd512 left, Simd512 right) => new(left.Value + right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 left, Simd512 right) => new(left.Value - right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator *(Simd512 left, Simd512 right) => new(left.Value * right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator /(Simd512 left, Simd512 right) => new(left.Value / right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 value) => new(-value.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator &(Simd512 left, Simd512 right) => new(left.Value & right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator |(Simd512 left, Simd512 right) => new(left.Value | right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator ^(Simd512 left, Simd512 right) => new(left.Value ^ right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Create(float value) => new(Vector512.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(ref readonly float source, nuint offset) => new(Vector512.LoadUnsafe(in source, offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Simd512 Load(float* source) => new(Vector512.Load(source));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly unsafe void Store(float* destination) => Vector512.Store(Value, destination);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 AndNot(Simd512 left, Simd512 right) => new(Vector512.AndNot(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Min(Simd512 left, Simd512 right) => new(Vector512.Min(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Max(Simd512 left, Simd512 right) => new(Vector512.Max(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Clamp(Simd512 value, Simd512 min, Simd512 max) => new(Vector512.Clamp(value.Value, min.Value, max.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Abs(Simd512 value) => new(Vector512.Abs(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 CopySign(Simd512 value, Simd512 sign) => new(Vector512.CopySign(value.Value, sign.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Sqrt(Simd512 value) => new(Vector512.Sqrt(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Exp(Simd512 value) => new(Vector512.Exp(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Log(Simd512 value) => new(Vector512.Log(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 FusedMultiplyAdd(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.FusedMultiplyAdd(a.Value, b.Value, c.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FusedMultiplyAddInPlace(Simd512 a, Simd512 b) => Value = Vector512.FusedMultiplyAdd(a.Value, b.Value, Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void FusedMultiplyAddInPlace(Simd512 a, float* b) => Value = Vector512.FusedMultiplyAdd(a.Value, Vector512.Load(b), Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MultiplyAddEstimate(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.MultiplyAddEstimate(a.Value, b.Value, c.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 ConditionalSelect(Simd512 condition, Simd512 left, Simd512 right) => new(Vector512.ConditionalSelect(condition.Value, left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Equals(Simd512 left, Simd512 right) => new(Vector512.Equals(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 LessThan(Simd512 left, Simd512 right) => new(Vector512.LessThan(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 LessThanOrEqual(Simd512 left, Simd512 right) => new(Vector512.LessThanOrEqual(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 GreaterThan(Simd512 left, Simd512 right) => new(Vector512.GreaterThan(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 GreaterThanOrEqual(Simd512 left, Simd512 right) => new(Vector512.GreaterThanOrEqual(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd512 value) => Vector512.Sum(value.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 AddWidened(Simd512 accumulator, Simd512 value)
    {
        var (lower, upper) = Vector512.Widen(value.Value);
        return new((accumulator.Value.AsDouble() + (lower + upper)).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 AddWidenedSquares(Simd512 accumulator, Simd512 value)
    {
        var (lower, upper) = Vector512.Widen(value.Value);
        var sum = Vector512.MultiplyAddEstimate(lower, lower, accumulator.Value.AsDouble());
        return new(Vector512.MultiplyAddEstimate(upper, upper, sum).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Simd512 accumulator) => Vector512.Sum(accumulator.Value.AsDouble());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ExtractMostSignificantBits(Simd512 value) => (uint)value.Value.ExtractMostSignificantBits();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MaskFromBits(uint bits)
    {
        var lanes = Vector512.Create(1u, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
        return new(Vector512.Equals(Vector512.Create(bits) & lanes, lanes).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 XorShift128Plus(ref Simd512 s0, ref Simd512 s1)
    {
        var x = s0.Value.AsUInt64();
        var y = s1.Value.AsUInt64();
        s0 = new(y.AsSingle());
        x ^= Vector512.ShiftLeft(x, 23);
        var next = x ^ y ^ Vector512.ShiftRightLogical(x, 17) ^ Vector512.ShiftRightLogical(y, 26);
        s1 = new(next.AsSingle());
        return new((next + y).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 LessThanUnsigned(Simd512 bits, uint limit) => new(Vector512.LessThan(bits.Value.AsUInt32(), Vector512.Create(limit)).AsSingle());
    /// <summary>
    /// The lane sums of eight vectors, as the eight lanes of a 256-bit vector, by one transposing tree: the halves of each
    /// vector added (lane i + lane i + 8), then pairs and pairs of pairs by horizontal adds, which also gather the eight
    /// sums into one 256-bit vector, last its two 128-bit halves (sums 0..3 | 4..7 in each) added. Needs AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 SumEach(Simd512 s0, Simd512 s1, Simd512 s2, Simd512 s3, Simd512 s4, Simd512 s5, Simd512 s6, Simd512 s7)
    {
        var t0 = Avx.HorizontalAdd(Fold(s0), Fold(s1));
        var t1 = Avx.HorizontalAdd(Fold(s2), Fold(s3));
        var t2 = Avx.HorizontalAdd(Fold(s4), Fold(s5));
        var t3 = Avx.HorizontalAdd(Fold(s6), Fold(s7));
        var u0 = Avx.HorizontalAdd(t0, t1);
        var u1 = Avx.HorizontalAdd(t2, t3);
        return new(Avx.Permute2x128(u0, u1, 0x20) + Avx.Permute2x128(u0, u1, 0x31));

        static Vector256<float> Fold(Simd512 v) => v.Value.GetLower() + v.Value.GetUpper();
    }
}
