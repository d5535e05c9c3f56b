namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// The settings of every optimizer in one place; <see cref="OptimizerFactory"/> passes each rule the ones it uses.
/// Defaults come from <see cref="Defaults"/> and follow PyTorch.
/// </summary>
internal sealed class OptimizerOptions
{
    /// <summary>The base learning rate (a schedule starts from it; <see cref="GradientOptimizer.Step"/> receives the current one).</summary>
    public float LearningRate = Defaults.LearningRate;

    /// <summary>The SGD momentum μ (0 = plain SGD). Ignored by the other rules.</summary>
    public float Momentum = Defaults.Momentum;

    /// <summary>Whether SGD uses Nesterov momentum (requires <see cref="Momentum"/> &gt; 0).</summary>
    public bool Nesterov = Defaults.Nesterov;

    /// <summary>Adam/AdamW first-moment decay β₁.</summary>
    public float Beta1 = Defaults.Beta1;

    /// <summary>Adam/AdamW second-moment decay β₂.</summary>
    public float Beta2 = Defaults.Beta2;

    /// <summary>The ε of Adam, AdamW, RMSProp and Adagrad; null takes each rule's PyTorch default (1e-8, Adagrad 1e-10).</summary>
    public float? Epsilon;

    /// <summary>The RMSProp squared-gradient decay α.</summary>
    public float RmsPropAlpha = Defaults.RmsPropAlpha;

    /// <summary>The weight-decay coefficient: L2 added to the gradient, decoupled for AdamW.</summary>
    public float WeightDecay = Defaults.WeightDecay;

    /// <summary>The default values.</summary>
    internal static class Defaults
    {
        /// <summary>Default base learning rate.</summary>
        public const float LearningRate = 1e-3f;

        /// <summary>Default SGD momentum (none).</summary>
        public const float Momentum = 0f;

        /// <summary>Default Nesterov switch.</summary>
        public const bool Nesterov = false;

        /// <summary>Default β₁ (the trainer's, <see cref="Training.TrainingDefaults.Beta1"/>).</summary>
        public const float Beta1 = Training.TrainingDefaults.Beta1;

        /// <summary>Default β₂ (the trainer's, <see cref="Training.TrainingDefaults.Beta2"/>).</summary>
        public const float Beta2 = Training.TrainingDefaults.Beta2;

        /// <summary>Adam, AdamW and RMSProp ε.</summary>
        public const float AdamEpsilon = 1e-8f;

        /// <summary>Adagrad ε.</summary>
        public const float AdagradEpsilon = 1e-10f;

        /// <summary>Default RMSProp α.</summary>
        public const float RmsPropAlpha = 0.99f;

        /// <summary>Default weight decay (none).</summary>
        public const float WeightDecay = 0f;
    }
}
