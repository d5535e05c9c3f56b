namespace MlNetDeep;

/// <summary>The gradient-descent rule that updates the parameters after each mini-batch.</summary>
public enum Optimizer
{
    /// <summary>Stochastic gradient descent, with optional (Nesterov) momentum.</summary>
    SGD,
    /// <summary>Adam, with L2 regularization added to the gradient.</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,
    /// <summary>RMSProp (moving average of squared gradients, decay 0.99).</summary>
    RMSProp,
    /// <summary>Adagrad (accumulated squared gradients).</summary>
    Adagrad,
}
