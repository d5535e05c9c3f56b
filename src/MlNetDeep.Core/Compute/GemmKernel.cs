namespace MlNetDeep.Compute;

/// <summary>The GEMM micro-kernels, by vector width.</summary>
internal enum GemmKernel
{
    /// <summary>Scalar fused multiply-adds, 8×8 tiles.</summary>
    Scalar,

    /// <summary>128-bit vectors (<see cref="Compute.Simd128"/>), 8×8 tiles.</summary>
    Simd128,

    /// <summary>256-bit vectors (<see cref="Compute.Simd256"/>), 8×16 tiles.</summary>
    Simd256,

    /// <summary>512-bit vectors (<see cref="Compute.Simd512"/>), 8×32 tiles.</summary>
    Simd512,
}
