using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// The 128-bit width of <see cref="ISimd{TSelf}"/>: 4 lanes of <see cref="Vector128{T}"/>, every member a direct,
/// inlined call of the <see cref="Vector128"/> method of the same name.
/// </summary>
internal struct Simd128 : ISimd<Simd128>
{
    /// <summary>The wrapped vector (writable only for the in-place multiply-adds).</summary>
    public Vector128<float> Value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Simd128(Vector128<float> value) => Value = value;

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<float>.Count;
    }

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.IsHardwareAccelerated;
    }

    /// <inheritdoc/>
    public static Simd128 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector128<float>.Zero);
    }

    /// <inheritdoc/>
    public static Simd128 One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector128<float>.One);
    }

    /// <inheritdoc/>
    public static Simd128 AllBitsSet
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector128<float>.AllBitsSet);
    }

    /// <summary>Unwraps the vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Vector128<float>(Simd128 value) => value.Value;

    /// <summary>Wraps the vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Simd128(Vector128<float> value) => new(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator +(Simd128 left, Simd128 right) => new(left.Value + right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 left, Simd128 right) => new(left.Value - right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator *(Simd128 left, Simd128 right) => new(left.Value * right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator /(Simd128 left, Simd128 right) => new(left.Value / right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 value) => new(-value.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator &(Simd128 left, Simd128 right) => new(left.Value & right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator |(Simd128 left, Simd128 right) => new(left.Value | right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator ^(Simd128 left, Simd128 right) => new(left.Value ^ right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Create(float value) => new(Vector128.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Load(ref readonly float source, nuint offset) => new(Vector128.LoadUnsafe(in source, offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Simd128 Load(float* source) => new(Vector128.Load(source));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly unsafe void Store(float* destination) => Vector128.Store(Value, destination);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 AndNot(Simd128 left, Simd128 right) => new(Vector128.AndNot(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Min(Simd128 left, Simd128 right) => new(Vector128.Min(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Max(Simd128 left, Simd128 right) => new(Vector128.Max(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Clamp(Simd128 value, Simd128 min, Simd128 max) => new(Vector128.Clamp(value.Value, min.Value, max.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Abs(Simd128 value) => new(Vector128.Abs(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 CopySign(Simd128 value, Simd128 sign) => new(Vector128.CopySign(value.Value, sign.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Sqrt(Simd128 value) => new(Vector128.Sqrt(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Exp(Simd128 value) => new(Vector128.Exp(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Log(Simd128 value) => new(Vector128.Log(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 FusedMultiplyAdd(Simd128 a, Simd128 b, Simd128 c) => new(Vector128.FusedMultiplyAdd(a.Value, b.Value, c.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FusedMultiplyAddInPlace(Simd128 a, Simd128 b) => Value = Vector128.FusedMultiplyAdd(a.Value, b.Value, Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void FusedMultiplyAddInPlace(Simd128 a, float* b) => Value = Vector128.FusedMultiplyAdd(a.Value, Vector128.Load(b), Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 MultiplyAddEstimate(Simd128 a, Simd128 b, Simd128 c) => new(Vector128.MultiplyAddEstimate(a.Value, b.Value, c.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 ConditionalSelect(Simd128 condition, Simd128 left, Simd128 right) => new(Vector128.ConditionalSelect(condition.Value, left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Equals(Simd128 left, Simd128 right) => new(Vector128.Equals(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 LessThan(Simd128 left, Simd128 right) => new(Vector128.LessThan(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 LessThanOrEqual(Simd128 left, Simd128 right) => new(Vector128.LessThanOrEqual(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 GreaterThan(Simd128 left, Simd128 right) => new(Vector128.GreaterThan(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 GreaterThanOrEqual(Simd128 left, Simd128 right) => new(Vector128.GreaterThanOrEqual(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd128 value) => Vector128.Sum(value.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 AddWidened(Simd128 accumulator, Simd128 value)
    {
        var (lower, upper) = Vector128.Widen(value.Value);
        return new((accumulator.Value.AsDouble() + (lower + upper)).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 AddWidenedSquares(Simd128 accumulator, Simd128 value)
    {
        var (lower, upper) = Vector128.Widen(value.Value);
        var sum = Vector128.MultiplyAddEstimate(lower, lower, accumulator.Value.AsDouble());
        return new(Vector128.MultiplyAddEstimate(upper, upper, sum).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Simd128 accumulator) => Vector128.Sum(accumulator.Value.AsDouble());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ExtractMostSignificantBits(Simd128 value) => (uint)value.Value.ExtractMostSignificantBits();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 MaskFromBits(uint bits)
    {
        var lanes = Vector128.Create(1u, 2, 4, 8);
        return new(Vector128.Equals(Vector128.Create(bits) & lanes, lanes).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 XorShift128Plus(ref Simd128 s0, ref Simd128 s1)
    {
        var x = s0.Value.AsUInt64();
        var y = s1.Value.AsUInt64();
        s0 = new(y.AsSingle());
        x ^= Vector128.ShiftLeft(x, 23);
        var next = x ^ y ^ Vector128.ShiftRightLogical(x, 17) ^ Vector128.ShiftRightLogical(y, 26);
        s1 = new(next.AsSingle());
        return new((next + y).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 LessThanUnsigned(Simd128 bits, uint limit) => new(Vector128.LessThan(bits.Value.AsUInt32(), Vector128.Create(limit)).AsSingle());
}
