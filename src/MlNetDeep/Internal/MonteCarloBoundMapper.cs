using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep.Internal;

/// <summary>
/// ML.NET's bound mapper of a model that scores with Monte Carlo dropout or is an ensemble: the columns of the ordinary
/// mapper (<c>Score</c>, and <c>Probability</c> for binary classification, with their annotations, so ML.NET's scorers add
/// <c>PredictedLabel</c> as usual) filled from <see cref="NetworkScorer.ScoreMonteCarlo"/> (with passes) or
/// <see cref="NetworkScorer.ScoreMembers"/> (an ensemble without passes), plus a <c>Single</c>
/// column <see cref="UncertaintyColumnName"/>. Every row ML.NET asks for owns its scorer and buffers, so concurrent
/// cursors are safe, and computes each input row once for all its columns. The passes' masks restart from
/// <see cref="Seed"/> for every row, so a row's prediction does not depend on the rows scored before it.
/// </summary>
internal sealed class MonteCarloBoundMapper : ISchemaBoundRowMapper
{
    /// <summary>The name of the added column.</summary>
    public const string UncertaintyColumnName = "Uncertainty";

    /// <summary>The seed of every row's dropout masks.</summary>
    public const long Seed = 0x4D43_4452;

    private readonly ISchemaBoundRowMapper _inner;
    private readonly SequentialNetwork _network;
    private readonly int _passes;
    private readonly DataViewSchema.Column _features;

    /// <summary>Wraps <paramref name="inner"/>, the ordinary bound mapper of <paramref name="bindable"/>.</summary>
    public MonteCarloBoundMapper(ISchemaBindableMapper bindable, ISchemaBoundRowMapper inner, SequentialNetwork network, int passes)
    {
        ArgumentNullException.ThrowIfNull(bindable);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegative(passes);
        Bindable = bindable;
        _inner = inner;
        _network = network;
        _passes = passes;
        _features = inner.InputRoleMappedSchema.Feature
            ?? throw new InvalidOperationException("The feed-forward model was bound without a feature column.");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inner.OutputSchema);
        builder.AddColumn(UncertaintyColumnName, NumberDataViewType.Single);
        OutputSchema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public RoleMappedSchema InputRoleMappedSchema => _inner.InputRoleMappedSchema;

    /// <inheritdoc/>
    public DataViewSchema InputSchema => _inner.InputSchema;

    /// <inheritdoc/>
    public DataViewSchema OutputSchema { get; }

    /// <inheritdoc/>
    public ISchemaBindableMapper Bindable { get; }

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<RoleMappedSchema.ColumnRole, string>> GetInputColumnRoles() => _inner.GetInputColumnRoles();

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependenciesForNewColumns(IEnumerable<DataViewSchema.Column> dependingColumns)
        => dependingColumns.Any() ? [_features] : [];

    /// <inheritdoc/>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new Row(this, input, activeColumns);

    /// <summary>One cursor's view: the Monte Carlo outputs of its current input row.</summary>
    private sealed class Row : DataViewRow
    {
        private readonly MonteCarloBoundMapper _parent;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly NetworkScorer _scorer;
        private readonly ValueGetter<VBuffer<float>> _getFeatures;
        private readonly float[] _featureValues;
        private readonly float[] _output;
        private readonly float[] _uncertainty = new float[1];
        private VBuffer<float> _featureBuffer;
        private long _scoredPosition = -1;

        public Row(MonteCarloBoundMapper parent, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            _parent = parent;
            _input = input;
            _active = new bool[parent.OutputSchema.Count];
            foreach (var column in activeColumns)
            {
                _active[column.Index] = true;
            }

            _scorer = parent._network.CreateScorer(maxBatch: 1, threads: 1);
            _featureValues = new float[parent._network.Spec.InputSize];
            _output = new float[parent._network.Spec.OutputSize];
            _getFeatures = _active.Any(a => a) ? input.GetGetter<VBuffer<float>>(parent._features) : (ref VBuffer<float> _) => { };
        }

        public override DataViewSchema Schema => _parent.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"The column '{column.Name}' of the feed-forward model's output is not active.");
            }

            Delegate getter = column.Name switch
            {
                UncertaintyColumnName => (ValueGetter<float>)((ref float value) => value = Compute()._uncertainty[0]),
                "Probability" => (ValueGetter<float>)((ref float value) => value = 1f / (1f + MathF.Exp(-Compute()._output[0]))),
                _ when _parent._network.Spec.Task == TaskKind.Multiclass => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var scores = Compute()._output;
                    var editor = VBufferEditor.Create(ref value, scores.Length);
                    scores.CopyTo(editor.Values);
                    value = editor.Commit();
                }),
                _ => (ValueGetter<float>)((ref float value) => value = Compute()._output[0]),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"The column '{column.Name}' of the feed-forward model's output is {column.Type}; {typeof(TValue).Name} was asked for.");
        }

        /// <summary>Fills the mean output and the uncertainty of the current input row, once per row; returns this row.</summary>
        private Row Compute()
        {
            if (_scoredPosition != _input.Position || _input.Position < 0)
            {
                _getFeatures(ref _featureBuffer);
                if (_featureBuffer.Length != _featureValues.Length)
                {
                    throw new InvalidOperationException($"The model expects {_featureValues.Length} features; the row's feature vector has {_featureBuffer.Length}.");
                }

                _featureBuffer.CopyTo(_featureValues);
                if (_parent._passes > 0)
                {
                    _scorer.ScoreMonteCarlo(_featureValues, _output, _uncertainty, 1, _parent._passes, Seed);
                }
                else
                {
                    _scorer.ScoreMembers(_featureValues, _output, _uncertainty, 1);
                }
                _scoredPosition = _input.Position;
            }

            return this;
        }
    }
}
