namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// One <see cref="ActivationEntry"/> per <see cref="Activation"/>: the only place that says how an activation is created,
/// which initializer suits it, how diagnostics judge it and whether it learns parameters. Everything else asks here.
/// </summary>
/// <remarks>
/// The automatic initializer is He normal for the rectifier family (ReLU, LeakyReLU, PReLU, ThresholdedReLU, ELU, GELU,
/// SiLU, Mish), as Kaiming derived it for ReLU; Xavier uniform for the saturating and linear ones (Sigmoid, Tanh,
/// Softsign, Softplus, HardSigmoid, Linear), Keras' <c>glorot_uniform</c> default; LeCun normal for SELU, which
/// self-normalization requires. A ReLU or ThresholdedReLU unit is dead when its output never rises above zero; the
/// other rectifiers (and Softplus) when their pre-activation never does. Sigmoid and HardSigmoid saturate at 0 and 1,
/// Tanh and Softsign at −1 and 1.
/// </remarks>
internal static class ActivationRegistry
{
    private static readonly ActivationEntry[] ByKind = Index(
    [
        new(Activation.Linear, _ => new Linear(), null, WeightInitializer.XavierUniform, DeadUnitRule.None),
        new(Activation.Sigmoid, _ => new Sigmoid(), null, WeightInitializer.XavierUniform, DeadUnitRule.None, Saturation: (0f, 1f)),
        new(Activation.HardSigmoid, s => new HardSigmoid(s.HardSigmoidSlope), null, WeightInitializer.XavierUniform, DeadUnitRule.None, Saturation: (0f, 1f)),
        new(Activation.Tanh, _ => new Tanh(), null, WeightInitializer.XavierUniform, DeadUnitRule.None, Saturation: (-1f, 1f)),
        new(Activation.Softsign, _ => new Softsign(), null, WeightInitializer.XavierUniform, DeadUnitRule.None, Saturation: (-1f, 1f)),
        new(Activation.Softplus, _ => new Softplus(), null, WeightInitializer.XavierUniform, DeadUnitRule.PreActivation),
        new(Activation.ReLU, _ => new ReLU(), null, WeightInitializer.HeNormal, DeadUnitRule.Output),
        new(Activation.LeakyReLU, s => new LeakyReLU(s.LeakyReLUSlope), null, WeightInitializer.HeNormal, DeadUnitRule.PreActivation),
        new(Activation.PReLU, null, units => new PReLU(units), WeightInitializer.HeNormal, DeadUnitRule.PreActivation),
        new(Activation.ThresholdedReLU, s => new ThresholdedReLU(s.ThresholdedReLUTheta), null, WeightInitializer.HeNormal, DeadUnitRule.Output),
        new(Activation.ELU, s => new ELU(s.ELUAlpha), null, WeightInitializer.HeNormal, DeadUnitRule.PreActivation),
        new(Activation.SELU, _ => new SELU(), null, WeightInitializer.LeCunNormal, DeadUnitRule.PreActivation, SelfNormalizing: true),
        new(Activation.GELU, s => new GELU(s.GeluApproximateTanh), null, WeightInitializer.HeNormal, DeadUnitRule.PreActivation),
        new(Activation.SiLU, _ => new SiLU(), null, WeightInitializer.HeNormal, DeadUnitRule.PreActivation),
        new(Activation.Mish, _ => new Mish(), null, WeightInitializer.HeNormal, DeadUnitRule.PreActivation),
    ]);

    /// <summary>Every entry, in the order of the <see cref="Activation"/> values.</summary>
    public static IReadOnlyList<ActivationEntry> Entries => ByKind;

    /// <summary>The entry of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not an <see cref="Activation"/> value.</exception>
    public static ActivationEntry Get(Activation kind)
        => (uint)kind < (uint)ByKind.Length
            ? ByKind[(int)kind]
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown activation. Received: {kind}.");

    /// <summary>Orders <paramref name="entries"/> by kind, checking that every <see cref="Activation"/> value has exactly one.</summary>
    private static ActivationEntry[] Index(ActivationEntry[] entries)
    {
        var kinds = Enum.GetValues<Activation>();
        var byKind = new ActivationEntry?[kinds.Length];
        foreach (var entry in entries)
        {
            if ((uint)entry.Kind >= (uint)byKind.Length || byKind[(int)entry.Kind] is not null)
            {
                throw new InvalidOperationException($"The activation registry lists {entry.Kind} twice or out of range.");
            }

            byKind[(int)entry.Kind] = entry;
        }

        for (var i = 0; i < byKind.Length; i++)
        {
            if (byKind[i] is null || (int)kinds[i] != i)
            {
                throw new InvalidOperationException($"The activation registry has no entry for {(Activation)i}.");
            }
        }

        return byKind!;
    }
}
