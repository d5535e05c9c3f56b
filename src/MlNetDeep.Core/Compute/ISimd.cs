namespace MlNetDeep.Compute;

/// <summary>
/// One vector width of single-precision lanes (128, 256 or 512 bits), so a kernel is written once as a generic method
/// <c>where TVec : struct, ISimd&lt;TVec&gt;</c> and the JIT compiles it once per width, with every member inlined to the
/// hardware instruction it wraps. Each member does exactly what the corresponding <c>System.Runtime.Intrinsics</c>
/// method does at that width, so a kernel gives the same bits through this interface as written against the vectors
/// directly. The width is chosen once per call from <see cref="IsHardwareAccelerated"/> (widest first).
/// </summary>
/// <typeparam name="TSelf">The implementing width: <see cref="Simd128"/>, <see cref="Simd256"/> or <see cref="Simd512"/>.</typeparam>
internal interface ISimd<TSelf>
    where TSelf : struct, ISimd<TSelf>
{
    /// <summary>Lanes in a vector (4, 8 or 16).</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs on hardware instructions rather than a software fallback.</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>All lanes 0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>All bits set (the "true" of a comparison in every lane).</summary>
    static abstract TSelf AllBitsSet { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary>Loads <see cref="Count"/> values from <c>source[offset..]</c> (no bounds check).</summary>
    static abstract TSelf Load(ref readonly float source, nuint offset);

    /// <summary>Loads <see cref="Count"/> values from <paramref name="source"/>.</summary>
    static abstract unsafe TSelf Load(float* source);

    /// <summary>Stores the lanes to <c>destination[offset..]</c> (no bounds check).</summary>
    void Store(ref float destination, nuint offset);

    /// <summary>Stores the lanes to <paramref name="destination"/>.</summary>
    unsafe void Store(float* destination);

    /// <summary>Lane-wise sum.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>Lane-wise difference.</summary>
    static abstract TSelf operator -(TSelf left, TSelf right);

    /// <summary>Lane-wise product.</summary>
    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>Lane-wise quotient.</summary>
    static abstract TSelf operator /(TSelf left, TSelf right);

    /// <summary>Lane-wise negation.</summary>
    static abstract TSelf operator -(TSelf value);

    /// <summary>Bitwise and.</summary>
    static abstract TSelf operator &(TSelf left, TSelf right);

    /// <summary>Bitwise or.</summary>
    static abstract TSelf operator |(TSelf left, TSelf right);

    /// <summary>Bitwise exclusive or.</summary>
    static abstract TSelf operator ^(TSelf left, TSelf right);

    /// <summary><c>left &amp; ~right</c>.</summary>
    static abstract TSelf AndNot(TSelf left, TSelf right);

    /// <summary>Lane-wise minimum.</summary>
    static abstract TSelf Min(TSelf left, TSelf right);

    /// <summary>Lane-wise maximum.</summary>
    static abstract TSelf Max(TSelf left, TSelf right);

    /// <summary>Lane-wise clamp to <c>[min, max]</c>.</summary>
    static abstract TSelf Clamp(TSelf value, TSelf min, TSelf max);

    /// <summary>Lane-wise absolute value.</summary>
    static abstract TSelf Abs(TSelf value);

    /// <summary>Lane-wise <paramref name="value"/>'s magnitude with <paramref name="sign"/>'s sign.</summary>
    static abstract TSelf CopySign(TSelf value, TSelf sign);

    /// <summary>Lane-wise square root.</summary>
    static abstract TSelf Sqrt(TSelf value);

    /// <summary>Lane-wise <c>e^x</c>.</summary>
    static abstract TSelf Exp(TSelf value);

    /// <summary>Lane-wise natural logarithm.</summary>
    static abstract TSelf Log(TSelf value);

    /// <summary><c>a·b + c</c> rounded once.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>
    /// Replaces this vector with <c>a·b + this</c> rounded once (the value of <see cref="FusedMultiplyAdd"/>). Register-tiled
    /// kernels accumulate with it: written in place, the accumulator is the instruction's destination, where an assignment
    /// of <see cref="FusedMultiplyAdd"/>'s result leaves the JIT a copy and a move per multiply-add.
    /// </summary>
    void FusedMultiplyAddInPlace(TSelf a, TSelf b);

    /// <summary>
    /// <see cref="FusedMultiplyAddInPlace(TSelf, TSelf)"/> with <paramref name="b"/> loaded from memory, which lets the JIT
    /// fold the load into the multiply-add (a loaded vector passed as a value would go through a register first).
    /// </summary>
    unsafe void FusedMultiplyAddInPlace(TSelf a, float* b);

    /// <summary><c>a·b + c</c>, fused where the hardware has a fused multiply-add.</summary>
    static abstract TSelf MultiplyAddEstimate(TSelf a, TSelf b, TSelf c);

    /// <summary>Bits of <paramref name="left"/> where <paramref name="condition"/> is set, else of <paramref name="right"/>.</summary>
    static abstract TSelf ConditionalSelect(TSelf condition, TSelf left, TSelf right);

    /// <summary>All bits set in the lanes where <c>left == right</c>.</summary>
    static abstract TSelf Equals(TSelf left, TSelf right);

    /// <summary>All bits set in the lanes where <c>left &lt; right</c>.</summary>
    static abstract TSelf LessThan(TSelf left, TSelf right);

    /// <summary>All bits set in the lanes where <c>left ≤ right</c>.</summary>
    static abstract TSelf LessThanOrEqual(TSelf left, TSelf right);

    /// <summary>All bits set in the lanes where <c>left &gt; right</c>.</summary>
    static abstract TSelf GreaterThan(TSelf left, TSelf right);

    /// <summary>All bits set in the lanes where <c>left ≥ right</c>.</summary>
    static abstract TSelf GreaterThanOrEqual(TSelf left, TSelf right);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(TSelf value);

    /// <summary>
    /// <c>accumulator + (lower + upper)</c> where the lanes of <paramref name="value"/> are widened to double and
    /// <paramref name="accumulator"/> holds <see cref="Count"/>/2 doubles in the same bits (start from <see cref="Zero"/>).
    /// </summary>
    static abstract TSelf AddWidened(TSelf accumulator, TSelf value);

    /// <summary>
    /// <c>accumulator + lower² + upper²</c> (two multiply-adds, lower half first) with <paramref name="value"/> widened
    /// to double, on an accumulator of doubles as in <see cref="AddWidened"/>.
    /// </summary>
    static abstract TSelf AddWidenedSquares(TSelf accumulator, TSelf value);

    /// <summary>The sum of the doubles an accumulator of <see cref="AddWidened"/> holds.</summary>
    static abstract double SumWidened(TSelf accumulator);

    /// <summary>Bit i of the result is the sign bit of lane i.</summary>
    static abstract uint ExtractMostSignificantBits(TSelf value);

    /// <summary>All bits set in lane i where bit i of <paramref name="bits"/> is set (the inverse of <see cref="ExtractMostSignificantBits"/> on masks).</summary>
    static abstract TSelf MaskFromBits(uint bits);

    /// <summary>
    /// One step of <see cref="Count"/>/2 independent xorshift128+ generators, one per 64-bit lane of
    /// <paramref name="s0"/> and <paramref name="s1"/>; returns their outputs in the same bits (two 32-bit words per stream,
    /// low word first).
    /// </summary>
    static abstract TSelf XorShift128Plus(ref TSelf s0, ref TSelf s1);

    /// <summary>All bits set in the lanes whose bits, read as an unsigned 32-bit integer, are below <paramref name="limit"/>.</summary>
    static abstract TSelf LessThanUnsigned(TSelf bits, uint limit);
}
