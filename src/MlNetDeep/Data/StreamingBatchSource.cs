using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Compute;
using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// An <see cref="IBatchSource"/> that reads the training <c>IDataView</c> through a cursor on every pass and holds
/// only a bounded window of rows:
/// <list type="bullet">
/// <item><description>the split holds out as many rows as the in-memory split does (<see cref="RowOrder.ValidationRows"/>:
/// per class for classification, so it is stratified, and of all rows for regression), scaled down in proportion to at
/// most <c>maxValidationRows</c>: a pass that reads the labels alone counts each class's rows, then a pass keeps, per
/// class, the rows whose seeded hash of their row id is smallest, in memory with their ids. Every other row with a
/// label is a training row, in every pass and whatever order a pass reads the rows in;</description></item>
/// <item><description>a pass over the training rows fills a buffer of <c>shuffleBufferRows</c> rows and serves a
/// randomly chosen one of them at a time, each replaced by the next row the cursor reads (the cursor itself reads the
/// view in order). The choices come from a seed drawn by <see cref="Shuffle"/>, so passes
/// between two shuffles serve the same order and the same seed gives the same order on every run;</description></item>
/// <item><description>a pass that finds a different number of training rows than the split counted, or a cursor
/// that throws, ends training with an <see cref="InvalidOperationException"/> that says so.</description></item>
/// </list>
/// </summary>
internal sealed class StreamingBatchSource : IBatchSource
{
    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private readonly int _bufferRows;
    private readonly int _maxValidationRows;

    // The shuffle buffer of the pass under way.
    private readonly float[] _bufferFeatures;
    private readonly float[] _bufferLabels;
    private readonly float[] _bufferWeights;
    private int _buffered;
    private DataViewRowCursor? _cursor;
    private RowReader? _reader;
    private ValueGetter<DataViewRowId>? _readId;
    private RandomGenerator? _passRandom;
    private int _served;
    private long _produced;
    private readonly HashSet<DataViewRowId> _held = [];

    private ulong _splitSeed;
    private int _trainingRows;
    private float[] _validationFeatures = [];
    private float[] _validationLabels = [];
    private float[] _validationWeights = [];
    private int _validationRows;
    private long _passSeed;

    /// <summary>Streams the rows of <paramref name="data"/> through the checked <paramref name="columns"/>.</summary>
    /// <param name="data">The training data.</param>
    /// <param name="columns">Its feature, label and weight columns.</param>
    /// <param name="shuffleBufferRows">The rows of the shuffle buffer (at least 1).</param>
    /// <param name="maxValidationRows">The most validation rows held in memory.</param>
    public StreamingBatchSource(IDataView data, TrainingColumns columns, int shuffleBufferRows, int maxValidationRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(shuffleBufferRows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxValidationRows);
        _data = data;
        _columns = columns;
        _bufferRows = shuffleBufferRows;
        _maxValidationRows = maxValidationRows;
        _bufferFeatures = new float[(long)shuffleBufferRows * columns.FeatureCount];
        _bufferLabels = new float[shuffleBufferRows];
        _bufferWeights = new float[shuffleBufferRows];
    }

    /// <inheritdoc/>
    public int Columns => _columns.FeatureCount;

    /// <inheritdoc/>
    public bool HasWeights => _columns.Weight is not null;

    /// <summary>How many rows the split skipped because their label was missing.</summary>
    public long SkippedRowCount { get; private set; }

    /// <inheritdoc/>
    public int Count(RowSet set) => set == RowSet.Training ? _trainingRows : _validationRows;

    /// <inheritdoc/>
    public void Split(TaskKind task, float validationFraction, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _splitSeed = random.NextUInt64();
        _passSeed = (long)random.NextUInt64();
        var holdouts = validationFraction > 0 ? CountGroups(task, validationFraction) : null;
        var columns = _columns.FeatureCount;
        var row = new float[columns];
        long labeled = 0, seen = 0, skipped = 0;
        var firstLabel = float.NaN;
        var severalClasses = false;
        _held.Clear();
        using (var cursor = _data.GetRowCursor(_columns.Active))
        {
            var reader = new RowReader(cursor, _columns);
            var readId = cursor.GetIdGetter();
            var id = default(DataViewRowId);
            while (Advance(cursor))
            {
                seen++;
                if (!ReadRow(reader, cursor, row, out var label, out var weight))
                {
                    skipped++;
                    continue;
                }

                labeled++;
                severalClasses |= !float.IsNaN(firstLabel) && label != firstLabel;
                firstLabel = float.IsNaN(firstLabel) ? label : firstLabel;
                if (holdouts is not null && holdouts.TryGetValue(GroupOf(task, label), out var holdout))
                {
                    readId(ref id);
                    holdout.Offer(Hash(id), id, row, label, weight);
                }
            }
        }

        if (seen == 0)
        {
            throw new InvalidOperationException("The training data has no rows.");
        }

        if (labeled == 0)
        {
            throw new InvalidOperationException($"All {seen} rows have a missing label in the label column '{_columns.Label.Name}' (NaN or key 0), so there is nothing to train on.");
        }

        if (task != TaskKind.Regression && !severalClasses)
        {
            TrainingDataReader.CheckSeveralClasses([firstLabel], _columns.Label.Name, _columns.ClassNames());
        }

        var groups = holdouts is null ? [] : holdouts.OrderBy(g => g.Key).Select(g => g.Value).ToArray();
        if (holdouts is not null && groups.Sum(g => g.Rows) != labeled)
        {
            throw new InvalidOperationException(
                $"The training data gave {labeled} rows with a label in one pass and {groups.Sum(g => g.Rows)} in the pass before: its rows changed between passes. A streamed IDataView must give the same rows on every pass.");
        }

        var validation = groups.Sum(g => g.Count);
        var training = labeled - validation;
        if (training > int.MaxValue)
        {
            throw new InvalidOperationException($"The training data has {training} training rows; at most {int.MaxValue} are supported.");
        }

        SkippedRowCount = skipped;
        _trainingRows = (int)training;
        _validationFeatures = new float[(long)validation * columns];
        _validationLabels = new float[validation];
        _validationWeights = new float[validation];
        _validationRows = 0;
        foreach (var group in groups)
        {
            group.CopyTo(_validationRows, _validationFeatures, _validationLabels, _validationWeights, _held);
            _validationRows += group.Count;
        }
    }

    /// <summary>
    /// The counting pass of the split, which reads the labels alone: one holdout per group (a class, or every row for
    /// regression) sized by <see cref="RowOrder.ValidationRows"/>, as the in-memory split sizes it, all of them scaled
    /// down in proportion when they would hold more than the most validation rows.
    /// </summary>
    private Dictionary<float, Holdout> CountGroups(TaskKind task, float validationFraction)
    {
        var counts = new Dictionary<float, long>();
        using (var cursor = _data.GetRowCursor([_columns.Label]))
        {
            var readLabel = RowReader.LabelReader(cursor, _columns);
            while (Advance(cursor))
            {
                var label = readLabel();
                if (!float.IsNaN(label))
                {
                    var group = GroupOf(task, label);
                    counts[group] = counts.GetValueOrDefault(group) + 1;
                }
            }
        }

        var quotas = counts.ToDictionary(c => c.Key, c => RowOrder.ValidationRows(task, validationFraction, (int)Math.Min(c.Value, int.MaxValue)));
        var total = quotas.Values.Sum(q => (long)q);
        return counts.ToDictionary(
            c => c.Key,
            c => new Holdout(total > _maxValidationRows ? (int)(quotas[c.Key] * (long)_maxValidationRows / total) : quotas[c.Key], c.Value, _columns.FeatureCount));
    }

    /// <summary>The split's group of a row: its class, or one group of every row for regression.</summary>
    private static float GroupOf(TaskKind task, float label) => task == TaskKind.Regression ? 0f : label;

    /// <inheritdoc/>
    public void Shuffle(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _passSeed = (long)random.NextUInt64();
    }

    /// <inheritdoc/>
    public void Read(RowSet set, int start, int count, Span<float> features, Span<float> labels, Span<float> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count(set) - start);
        var columns = _columns.FeatureCount;
        if (set == RowSet.Validation)
        {
            _validationFeatures.AsSpan(start * columns, count * columns).CopyTo(features);
            _validationLabels.AsSpan(start, count).CopyTo(labels);
            if (HasWeights)
            {
                _validationWeights.AsSpan(start, count).CopyTo(weights);
            }

            return;
        }

        if (start == 0)
        {
            BeginPass();
        }
        else if (start != _served)
        {
            throw new InvalidOperationException($"A streamed pass reads its rows in order: position {start} was asked for after {_served}.");
        }

        for (var i = 0; i < count; i++)
        {
            var pick = _passRandom!.NextInt(_buffered);
            _bufferFeatures.AsSpan(pick * columns, columns).CopyTo(features.Slice(i * columns, columns));
            labels[i] = _bufferLabels[pick];
            if (HasWeights)
            {
                weights[i] = _bufferWeights[pick];
            }

            if (!NextTrainingRow(pick))
            {
                // The cursor has no more rows: the last buffered row takes the served one's place.
                _buffered--;
                MoveBufferRow(_buffered, pick);
            }
        }

        _served += count;
        if (_served == _trainingRows)
        {
            EndPass();
        }
    }

    /// <inheritdoc/>
    public void ReadSample(int count, Span<float> features, Span<float> labels, Span<float> weights)
    {
        // The first rows of a pass: the shuffle buffer already spreads them over the first part of the data.
        Read(RowSet.Training, 0, count, features, labels, weights);
        if (_cursor is not null && _served < _trainingRows)
        {
            DisposeCursor();
        }
    }

    /// <summary>Opens a cursor and fills the buffer with the first training rows.</summary>
    private void BeginPass()
    {
        DisposeCursor();
        _passRandom = new RandomGenerator(_passSeed);
        // Not a shuffled cursor even where the view could give one: the validation split needs each row's id to be
        // the same in every pass, and views such as ML.NET's in-memory ones number the rows of a shuffled cursor by
        // position. The shuffle buffer does the shuffling.
        _cursor = _data.GetRowCursor(_columns.Active);
        _reader = new RowReader(_cursor, _columns);
        _readId = _cursor.GetIdGetter();
        _produced = 0;
        _served = 0;
        _buffered = 0;
        while (_buffered < _bufferRows && NextTrainingRow(_buffered))
        {
            _buffered++;
        }
    }

    /// <summary>Closes the pass's cursor; every row has been read by then, and the counts checked as they were.</summary>
    private void EndPass() => DisposeCursor();

    /// <summary>
    /// Reads the cursor's next training row into buffer slot <paramref name="slot"/>; false when it has none. A pass
    /// that finds more or fewer training rows than the split counted throws.
    /// </summary>
    private bool NextTrainingRow(int slot)
    {
        var columns = _columns.FeatureCount;
        while (Advance(_cursor!))
        {
            if (!ReadRow(_reader!, _cursor!, _bufferFeatures.AsSpan(slot * columns, columns), out var label, out var weight)
                || IsHeld())
            {
                continue;
            }

            if (++_produced > _trainingRows)
            {
                DisposeCursor();
                throw RowsChanged("more");
            }

            _bufferLabels[slot] = label;
            _bufferWeights[slot] = weight;
            return true;
        }

        if (_produced < _trainingRows)
        {
            DisposeCursor();
            throw RowsChanged("fewer");
        }

        return false;
    }

    private void MoveBufferRow(int from, int to)
    {
        if (from == to)
        {
            return;
        }

        var columns = _columns.FeatureCount;
        _bufferFeatures.AsSpan(from * columns, columns).CopyTo(_bufferFeatures.AsSpan(to * columns, columns));
        _bufferLabels[to] = _bufferLabels[from];
        _bufferWeights[to] = _bufferWeights[from];
    }

    /// <summary>Whether the pass's current row is a validation row.</summary>
    private bool IsHeld()
    {
        if (_held.Count == 0)
        {
            return false;
        }

        var id = default(DataViewRowId);
        _readId!(ref id);
        return _held.Contains(id);
    }

    /// <summary>The seeded hash of a row id that orders the rows of a group for the split.</summary>
    private ulong Hash(DataViewRowId id) => Mix(id.High ^ Mix(id.Low ^ _splitSeed));

    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static bool Advance(DataViewRowCursor cursor)
    {
        try
        {
            return cursor.MoveNext();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new InvalidOperationException($"Reading the training data failed after row {cursor.Position}: {error.GetBaseException().Message}", error);
        }
    }

    private static bool ReadRow(RowReader reader, DataViewRowCursor cursor, Span<float> features, out float label, out float weight)
    {
        try
        {
            return reader.Read(features, out label, out weight);
        }
        catch (Exception error) when (error is not OperationCanceledException and not InvalidOperationException)
        {
            throw new InvalidOperationException($"Reading the training data failed at row {cursor.Position}: {error.GetBaseException().Message}", error);
        }
    }

    private InvalidOperationException RowsChanged(string moreOrFewer) => new(
        $"The training data gave {moreOrFewer} training rows in this pass than the {_trainingRows} it gave when training started: its rows changed between passes. A streamed IDataView must give the same rows on every pass.");

    private void DisposeCursor()
    {
        _cursor?.Dispose();
        _cursor = null;
        _reader = null;
        _readId = null;
    }

    /// <summary>
    /// The validation rows of one group: of the rows offered, the <c>capacity</c> whose hashes are smallest, kept in a
    /// max-heap on the hash so that a row with a smaller hash than the largest kept takes its slot. The rows kept are a
    /// uniformly random choice of the group's rows, the same for the same seed and the same rows in the same order.
    /// </summary>
    private sealed class Holdout(int capacity, long rows, int columns)
    {
        private readonly float[] _features = new float[(long)capacity * columns];
        private readonly float[] _labels = new float[capacity];
        private readonly float[] _weights = new float[capacity];
        private readonly DataViewRowId[] _ids = new DataViewRowId[capacity];
        private readonly PriorityQueue<int, ulong> _largestFirst = new(capacity, Comparer<ulong>.Create(static (a, b) => b.CompareTo(a)));

        /// <summary>The group's rows with a label, as the counting pass found them.</summary>
        public long Rows => rows;

        /// <summary>The rows kept.</summary>
        public int Count { get; private set; }

        /// <summary>Offers a row: kept while there is room, else in place of the kept row with the largest hash when its own is smaller.</summary>
        public void Offer(ulong hash, DataViewRowId id, ReadOnlySpan<float> features, float label, float weight)
        {
            int slot;
            if (Count < capacity)
            {
                slot = Count++;
            }
            else if (capacity > 0 && _largestFirst.TryPeek(out slot, out var largest) && hash < largest)
            {
                _largestFirst.Dequeue();
            }
            else
            {
                return;
            }

            features.CopyTo(_features.AsSpan(slot * columns, columns));
            _labels[slot] = label;
            _weights[slot] = weight;
            _ids[slot] = id;
            _largestFirst.Enqueue(slot, hash);
        }

        /// <summary>Copies the kept rows from row <paramref name="start"/> of the validation arrays on and adds their ids to <paramref name="held"/>.</summary>
        public void CopyTo(int start, float[] features, float[] labels, float[] weights, HashSet<DataViewRowId> held)
        {
            _features.AsSpan(0, Count * columns).CopyTo(features.AsSpan(start * columns));
            _labels.AsSpan(0, Count).CopyTo(labels.AsSpan(start));
            _weights.AsSpan(0, Count).CopyTo(weights.AsSpan(start));
            for (var i = 0; i < Count; i++)
            {
                held.Add(_ids[i]);
            }
        }
    }
}
