namespace MlNetDeep.Tuning;

/// <summary>
/// The validation metric a FeedForward tuning run optimizes, named after the property of ML.NET's metrics type
/// that holds it. Each task accepts its own metrics; the direction (maximize or minimize) follows from the metric.
/// </summary>
public enum FeedForwardTuningMetric
{
    /// <summary>Multiclass: the fraction of rows classified correctly (<c>MulticlassClassificationMetrics.MicroAccuracy</c>), maximized.</summary>
    MicroAccuracy,

    /// <summary>Multiclass: the accuracy averaged over classes (<c>MulticlassClassificationMetrics.MacroAccuracy</c>), maximized.</summary>
    MacroAccuracy,

    /// <summary>
    /// Multiclass and binary: the mean negative log-likelihood of the true label (<c>LogLoss</c>), minimized.
    /// Binary classification needs a model that outputs a <c>Probability</c> column.
    /// </summary>
    LogLoss,

    /// <summary>Multiclass: the relative log-loss improvement over predicting the class priors (<c>LogLossReduction</c>), maximized.</summary>
    LogLossReduction,

    /// <summary>Binary: the fraction of rows classified correctly (<c>BinaryClassificationMetrics.Accuracy</c>), maximized.</summary>
    Accuracy,

    /// <summary>Binary: the area under the ROC curve (<c>AreaUnderRocCurve</c>), maximized.</summary>
    AreaUnderRocCurve,

    /// <summary>Binary: the area under the precision-recall curve (<c>AreaUnderPrecisionRecallCurve</c>), maximized.</summary>
    AreaUnderPrecisionRecallCurve,

    /// <summary>Binary: the harmonic mean of precision and recall of the positive class (<c>F1Score</c>), maximized.</summary>
    F1Score,

    /// <summary>Regression: the root of the mean squared error (<c>RootMeanSquaredError</c>), minimized.</summary>
    RootMeanSquaredError,

    /// <summary>Regression: the mean absolute error (<c>MeanAbsoluteError</c>), minimized.</summary>
    MeanAbsoluteError,

    /// <summary>Regression: the mean squared error (<c>MeanSquaredError</c>), minimized.</summary>
    MeanSquaredError,

    /// <summary>Regression: the coefficient of determination (<c>RSquared</c>), maximized.</summary>
    RSquared,
}
