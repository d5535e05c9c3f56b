namespace MlNetDeep.Losses;

/// <summary>
/// The training loss of a parameter-efficient ensemble: the mean of the members' losses (each member's output against
/// the same target), not the loss of the members' mean prediction, so every member learns on its own
/// (<c>ensemble_mean_loss.json</c>): <c>L = (1/k) Σ_i Σ_b w_b·ℓ(y_{b,i}, t_b) / Σ_b w_b</c>.
/// </summary>
/// <remarks>
/// Outputs are <c>[batch, k·OutputSize of the member loss]</c>, member <c>i</c> of row <c>b</c> at <c>[i·o, (i+1)·o)</c> of the
/// row; targets and weights are the rows' own, repeated for each member internally.
/// </remarks>
internal sealed class EnsembleMeanLoss : LossFunction
{
    private readonly LossFunction _member;
    private readonly int _members;
    private float[] _targets = [];
    private float[] _weights = [];

    /// <summary>The mean of <paramref name="members"/> members' <paramref name="member"/> losses.</summary>
    public EnsembleMeanLoss(LossFunction member, int members)
        : base(member.OutputSize * members)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        _member = member;
        _members = members;
    }

    /// <summary>The loss of one member.</summary>
    public LossFunction Member => _member;

    /// <inheritdoc/>
    public override int TargetSize => _member.TargetSize;

    /// <inheritdoc/>
    protected override double Accumulate(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> outputGradient)
    {
        var rows = batch * _members;
        var targetSize = _member.TargetSize;
        if (_targets.Length < rows * targetSize)
        {
            _targets = new float[rows * targetSize];
        }

        if (!weights.IsEmpty && _weights.Length < rows)
        {
            _weights = new float[rows];
        }

        for (var b = 0; b < batch; b++)
        {
            var target = targets.Slice(b * targetSize, targetSize);
            for (var i = 0; i < _members; i++)
            {
                var row = (b * _members) + i;
                target.CopyTo(_targets.AsSpan(row * targetSize, targetSize));
                if (!weights.IsEmpty)
                {
                    _weights[row] = weights[b];
                }
            }
        }

        var memberWeights = weights.IsEmpty ? ReadOnlySpan<float>.Empty : _weights.AsSpan(0, rows);
        return _member.AccumulateRows(output, _targets.AsSpan(0, rows * targetSize), memberWeights, rows, gradientScale / _members, outputGradient) / _members;
    }
}
