namespace MlNetDeep;

/// <summary>The loss <see cref="FeedForwardRegressionTrainer"/> minimizes.</summary>
public enum RegressionLoss
{
    /// <summary>The mean squared error: the prediction estimates the conditional mean.</summary>
    SquaredError,

    /// <summary>
    /// The Huber loss: squared for residuals up to <see cref="FeedForwardRegressionTrainer.Options.HuberDelta"/> and
    /// linear beyond, so outlying targets pull less on the fit.
    /// </summary>
    Huber,
}
