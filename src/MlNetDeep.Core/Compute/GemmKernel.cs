namespace MlNetDeep.Compute;

/// <summary>The GEMM micro-kernels, by vector width.</summary>
internal enum GemmKernel
{
    /// <summary>Scalar fused multiply-adds, 8×8 tiles.</summary>
    Scalar,

    /// <summary>Vector128, 8×8 tiles.</summary>
    Vector128,

    /// <summary>Vector256, 8×16 tiles.</summary>
    Vector256,

    /// <summary>Vector512, 8×32 tiles.</summary>
    Vector512,
}
