namespace MlNetDeep;

/// <summary>The normalization applied between a hidden layer's linear map and its activation.</summary>
public enum Normalization
{
    /// <summary>No normalization.</summary>
    None,
    /// <summary>Batch normalization: batch statistics in training, running statistics at inference.</summary>
    BatchNorm,
    /// <summary>Layer normalization: statistics over the units of each row, the same in training and inference.</summary>
    LayerNorm,
}
