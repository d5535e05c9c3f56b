namespace MlNetDeep;

/// <summary>What early stopping watches on the validation rows to keep the best epoch and to stop.</summary>
public enum EarlyStoppingMonitor
{
    /// <summary>The validation loss (what training minimizes), as Keras's <c>monitor="val_loss"</c>.</summary>
    ValidationLoss,

    /// <summary>
    /// The validation metric: accuracy for classification (ties broken by the lower loss), the root mean squared error
    /// for regression. A classifier's accuracy often keeps improving after its loss has turned up, as its probabilities
    /// grow overconfident.
    /// </summary>
    ValidationMetric,
}
