using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tuning;

/// <summary>
/// The rows of several data views with the same schema, one view after the other, through ML.NET's public
/// <see cref="IDataView"/> API. The tuner uses it to evaluate out-of-fold predictions of all cross-validation folds at
/// once, so the metrics it reports are one ML.NET metrics object over every training row.
/// </summary>
internal sealed class ConcatenatedDataView : IDataView
{
    private readonly IDataView[] _sources;

    /// <summary>Concatenates <paramref name="sources"/>; every source must have the first one's column names and types.</summary>
    /// <exception cref="ArgumentException">No sources, or a source whose columns differ from the first one's.</exception>
    public ConcatenatedDataView(IReadOnlyList<IDataView> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("At least one data view is needed. Received: none.", nameof(sources));
        }

        Schema = sources[0].Schema;
        foreach (var source in sources)
        {
            var schema = source.Schema;
            if (schema.Count != Schema.Count || Enumerable.Range(0, Schema.Count).Any(i => schema[i].Name != Schema[i].Name || !schema[i].Type.Equals(Schema[i].Type)))
            {
                throw new ArgumentException($"Every data view must have the same columns. Received: [{Describe(Schema)}] and [{Describe(schema)}].", nameof(sources));
            }
        }

        _sources = [.. sources];
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount()
    {
        long total = 0;
        foreach (var source in _sources)
        {
            if (source.GetRowCount() is not { } count)
            {
                return null;
            }

            total += count;
        }

        return total;
    }

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, [.. columnsNeeded.Select(c => c.Index)]);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private static string Describe(DataViewSchema schema) => string.Join(", ", schema.Select(c => $"{c.Name}: {c.Type}"));

    /// <summary>Walks the sources in order; a getter taken once reads from whichever source the cursor is in.</summary>
    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ConcatenatedDataView _parent;
        private readonly int[] _active;
        private DataViewRowCursor? _current;
        private int _sourceIndex = -1;
        private long _position = -1;

        public Cursor(ConcatenatedDataView parent, int[] active)
        {
            _parent = parent;
            _active = active;
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            }

            ValueGetter<TValue>? getter = null;
            DataViewRowCursor? owner = null;
            return (ref TValue value) =>
            {
                var current = _current ?? throw new InvalidOperationException("The cursor is not on a row; call MoveNext first.");
                if (!ReferenceEquals(owner, current))
                {
                    getter = current.GetGetter<TValue>(current.Schema[column.Index]);
                    owner = current;
                }

                getter!(ref value);
            };
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override bool MoveNext()
        {
            while (true)
            {
                if (_current is not null && _current.MoveNext())
                {
                    _position++;
                    return true;
                }

                _current?.Dispose();
                _current = null;
                if (++_sourceIndex >= _parent._sources.Length)
                {
                    return false;
                }

                var source = _parent._sources[_sourceIndex];
                _current = source.GetRowCursor(_active.Select(i => source.Schema[i]));
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _current?.Dispose();
                _current = null;
            }

            base.Dispose(disposing);
        }
    }
}
