using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// The 256-bit width of <see cref="ISimd{TSelf}"/>: 8 lanes of <see cref="Vector256{T}"/>, every member a direct,
/// inlined call of the <see cref="Vector256"/> method of the same name.
/// </summary>
internal struct Simd256 : ISimd<Simd256>
{
    /// <summary>The wrapped vector (writable only for the in-place multiply-adds).</summary>
    public Vector256<float> Value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Simd256(Vector256<float> value) => Value = value;

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<float>.Count;
    }

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.IsHardwareAccelerated;
    }

    /// <inheritdoc/>
    public static Simd256 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<float>.Zero);
    }

    /// <inheritdoc/>
    public static Simd256 One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<float>.One);
    }

    /// <inheritdoc/>
    public static Simd256 AllBitsSet
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256<float>.AllBitsSet);
    }

    /// <summary>Unwraps the vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Vector256<float>(Simd256 value) => value.Value;

    /// <summary>Wraps the vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Simd256(Vector256<float> value) => new(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator +(Simd256 left, Simd256 right) => new(left.Value + right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 left, Simd256 right) => new(left.Value - right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator *(Simd256 left, Simd256 right) => new(left.Value * right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator /(Simd256 left, Simd256 right) => new(left.Value / right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator -(Simd256 value) => new(-value.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator &(Simd256 left, Simd256 right) => new(left.Value & right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator |(Simd256 left, Simd256 right) => new(left.Value | right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 operator ^(Simd256 left, Simd256 right) => new(left.Value ^ right.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Create(float value) => new(Vector256.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Load(ref readonly float source, nuint offset) => new(Vector256.LoadUnsafe(in source, offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Simd256 Load(float* source) => new(Vector256.Load(source));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly unsafe void Store(float* destination) => Vector256.Store(Value, destination);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 AndNot(Simd256 left, Simd256 right) => new(Vector256.AndNot(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Min(Simd256 left, Simd256 right) => new(Vector256.Min(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Max(Simd256 left, Simd256 right) => new(Vector256.Max(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Clamp(Simd256 value, Simd256 min, Simd256 max) => new(Vector256.Clamp(value.Value, min.Value, max.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Abs(Simd256 value) => new(Vector256.Abs(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 CopySign(Simd256 value, Simd256 sign) => new(Vector256.CopySign(value.Value, sign.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Sqrt(Simd256 value) => new(Vector256.Sqrt(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Exp(Simd256 value) => new(Vector256.Exp(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Log(Simd256 value) => new(Vector256.Log(value.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 FusedMultiplyAdd(Simd256 a, Simd256 b, Simd256 c) => new(Vector256.FusedMultiplyAdd(a.Value, b.Value, c.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FusedMultiplyAddInPlace(Simd256 a, Simd256 b) => Value = Vector256.FusedMultiplyAdd(a.Value, b.Value, Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void FusedMultiplyAddInPlace(Simd256 a, float* b) => Value = Vector256.FusedMultiplyAdd(a.Value, Vector256.Load(b), Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MultiplyAddEstimate(Simd256 a, Simd256 b, Simd256 c) => new(Vector256.MultiplyAddEstimate(a.Value, b.Value, c.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 ConditionalSelect(Simd256 condition, Simd256 left, Simd256 right) => new(Vector256.ConditionalSelect(condition.Value, left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Equals(Simd256 left, Simd256 right) => new(Vector256.Equals(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 LessThan(Simd256 left, Simd256 right) => new(Vector256.LessThan(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 LessThanOrEqual(Simd256 left, Simd256 right) => new(Vector256.LessThanOrEqual(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 GreaterThan(Simd256 left, Simd256 right) => new(Vector256.GreaterThan(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 GreaterThanOrEqual(Simd256 left, Simd256 right) => new(Vector256.GreaterThanOrEqual(left.Value, right.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd256 value) => Vector256.Sum(value.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 AddWidened(Simd256 accumulator, Simd256 value)
    {
        var (lower, upper) = Vector256.Widen(value.Value);
        return new((accumulator.Value.AsDouble() + (lower + upper)).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 AddWidenedSquares(Simd256 accumulator, Simd256 value)
    {
        var (lower, upper) = Vector256.Widen(value.Value);
        var sum = Vector256.MultiplyAddEstimate(lower, lower, accumulator.Value.AsDouble());
        return new(Vector256.MultiplyAddEstimate(upper, upper, sum).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Simd256 accumulator) => Vector256.Sum(accumulator.Value.AsDouble());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ExtractMostSignificantBits(Simd256 value) => (uint)value.Value.ExtractMostSignificantBits();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MaskFromBits(uint bits)
    {
        var lanes = Vector256.Create(1u, 2, 4, 8, 16, 32, 64, 128);
        return new(Vector256.Equals(Vector256.Create(bits) & lanes, lanes).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 XorShift128Plus(ref Simd256 s0, ref Simd256 s1)
    {
        var x = s0.Value.AsUInt64();
        var y = s1.Value.AsUInt64();
        s0 = new(y.AsSingle());
        x ^= Vector256.ShiftLeft(x, 23);
        var next = x ^ y ^ Vector256.ShiftRightLogical(x, 17) ^ Vector256.ShiftRightLogical(y, 26);
        s1 = new(next.AsSingle());
        return new((next + y).AsSingle());
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 LessThanUnsigned(Simd256 bits, uint limit) => new(Vector256.LessThan(bits.Value.AsUInt32(), Vector256.Create(limit)).AsSingle());
}
