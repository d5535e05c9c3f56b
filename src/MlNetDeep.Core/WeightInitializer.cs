namespace MlNetDeep;

/// <summary>
/// How the weights of a dense layer are drawn before training. The variance-scaling presets take
/// their fans from the weight shape <c>[out, in]</c>: fan-in is <c>in</c>, fan-out is <c>out</c>.
/// </summary>
public enum WeightInitializer
{
    /// <summary>He for the ReLU family, GELU, SiLU and Mish; Xavier for sigmoid, tanh, softsign, softplus,
    /// hard sigmoid and linear; LeCun normal for SELU.</summary>
    Auto,
    /// <summary>All weights zero (every unit of a layer stays identical: a teaching case, not a training choice).</summary>
    Zeros,
    /// <summary>All weights equal to one constant value.</summary>
    Constant,
    /// <summary>Normal with mean 0 and a fixed standard deviation (0.01 by default).</summary>
    RandomNormal,
    /// <summary>Uniform on a fixed interval (±0.05 by default).</summary>
    RandomUniform,
    /// <summary>Glorot uniform: <c>U(±√(6 / (fan_in + fan_out)))</c>.</summary>
    XavierUniform,
    /// <summary>Glorot normal: standard deviation <c>√(2 / (fan_in + fan_out))</c>.</summary>
    XavierNormal,
    /// <summary>Kaiming uniform: <c>U(±√(6 / fan_in))</c>.</summary>
    HeUniform,
    /// <summary>Kaiming normal: standard deviation <c>√(2 / fan_in)</c>.</summary>
    HeNormal,
    /// <summary>LeCun uniform: <c>U(±√(3 / fan_in))</c>.</summary>
    LeCunUniform,
    /// <summary>LeCun normal: standard deviation <c>√(1 / fan_in)</c>.</summary>
    LeCunNormal,
}
