using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// Reads an <c>IDataView</c> into <see cref="LoadedTrainingData"/> in one cursor pass (two when the view does not know
/// its row count: the first counts the rows, so the copy is allocated once at its final size), using ML.NET's public API only.
/// <see cref="ReadSparse"/> reads the rows into <see cref="LoadedSparseTrainingData"/> instead, keeping only the non-zero
/// features, in one pass. Accepted columns: features a known-size vector of <c>Single</c> (sparse vectors are densified
/// by <see cref="Read"/>) or a <c>Single</c>; label a key for multiclass classification, <c>Boolean</c> for binary classification, and
/// <c>Single</c> (or <c>Double</c>, <c>Int32</c>) for regression; example weight <c>Single</c>.
/// Rows whose label is missing (NaN, or key 0) are skipped and counted; any other problem is an exception
/// that names the column and says what to do.
/// </summary>
internal static class TrainingDataReader
{
    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <param name="data">The training data.</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="task">Which label type to expect and how to encode it.</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null for unweighted rows.</param>
    /// <param name="rowCount">The number of rows when the caller has counted them already, or null to ask the view (or count).</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">The values are unusable: a non-finite feature, a negative or
    /// non-finite weight, no rows with a label, or a single class for classification.</exception>
    public static LoadedTrainingData Read(IDataView data, string featureColumnName, string labelColumnName, TaskKind task, string? exampleWeightColumnName = null, long? rowCount = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var columns = TrainingColumns.Find(data.Schema, featureColumnName, labelColumnName, task, exampleWeightColumnName);
        var featureCount = columns.FeatureCount;

        // The copy is allocated once at its final size: the row count comes from the caller, the view, or one counting
        // pass over it (which reads no column), so a large data set never needs room for twice its rows.
        var capacity = rowCount ?? data.GetRowCount() ?? CountRows(data);
        if (capacity == 0)
        {
            throw new InvalidOperationException("The training data has no rows.");
        }

        if (capacity * featureCount > Array.MaxLength)
        {
            throw new InvalidOperationException($"The training data has {capacity} rows of {featureCount} features, {capacity * featureCount} values: more than one array can hold ({Array.MaxLength}).");
        }

        var features = new float[capacity * featureCount];
        var labels = new float[capacity];
        var weights = columns.Weight is null ? null : new float[capacity];
        var rows = 0;
        long skipped = 0;
        long seen = 0;
        using (var cursor = data.GetRowCursor(columns.Active))
        {
            var reader = new RowReader(cursor, columns);
            var weightValue = 1f;
            while (cursor.MoveNext())
            {
                seen++;
                if (rows == labels.Length)
                {
                    throw new InvalidOperationException($"The training data gave more rows than the {labels.Length} it counted before reading them: its row count changed between two passes. An IDataView must give the same rows on every pass.");
                }

                if (!reader.Read(features.AsSpan(rows * featureCount, featureCount), out labels[rows], out weightValue))
                {
                    skipped++;
                    continue;
                }

                if (weights is not null)
                {
                    weights[rows] = weightValue;
                }

                rows++;
            }
        }

        if (seen == 0)
        {
            throw new InvalidOperationException("The training data has no rows.");
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"All {seen} rows have a missing label in the label column '{columns.Label.Name}' (NaN or key 0), so there is nothing to train on.");
        }

        var classNames = columns.ClassNames();
        if (task != TaskKind.Regression)
        {
            CheckSeveralClasses(labels.AsSpan(0, rows), columns.Label.Name, classNames);
        }

        // Rows skipped for a missing label leave the end of the arrays unused; the data knows its row count, and
        // shrinking the arrays would copy them.
        return new LoadedTrainingData(new TrainingData(features, rows, featureCount, labels, weights), columns.ClassCount, skipped, columns.SlotNames, classNames);
    }

    /// <summary>Reads every row of <paramref name="data"/> in compressed sparse row form, in one pass.</summary>
    /// <param name="data">The training data.</param>
    /// <param name="columns">Its checked feature, label and weight columns.</param>
    /// <exception cref="InvalidOperationException">The values are unusable, as for <see cref="Read"/>.</exception>
    public static LoadedSparseTrainingData ReadSparse(IDataView data, TrainingColumns columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        var rows = new SparseRowsBuilder(data.GetRowCount(), columns.Weight is not null);
        long skipped = 0;
        long seen = 0;
        using (var cursor = data.GetRowCursor(columns.Active))
        {
            var reader = new RowReader(cursor, columns);
            while (cursor.MoveNext())
            {
                seen++;
                if (!reader.ReadSparse(rows, out var label, out var weight))
                {
                    skipped++;
                    continue;
                }

                if (rows.Rows == Array.MaxLength - 1)
                {
                    throw new InvalidOperationException($"The training data has more than {Array.MaxLength - 1} rows with a label, more than sparse training can hold.");
                }

                rows.EndRow(label, weight);
            }
        }

        if (seen == 0)
        {
            throw new InvalidOperationException("The training data has no rows.");
        }

        if (rows.Rows == 0)
        {
            throw new InvalidOperationException($"All {seen} rows have a missing label in the label column '{columns.Label.Name}' (NaN or key 0), so there is nothing to train on.");
        }

        var sparse = rows.Build(columns.FeatureCount);
        var classNames = columns.ClassNames();
        if (columns.Task != TaskKind.Regression)
        {
            CheckSeveralClasses(sparse.Labels.AsSpan(0, sparse.Rows), columns.Label.Name, classNames);
        }

        return new LoadedSparseTrainingData(sparse, columns.ClassCount, skipped, columns.SlotNames, classNames);
    }

    /// <summary>Whether the feature column's first row is a sparse vector (false for a scalar column or a view without rows).</summary>
    public static bool FirstRowIsSparse(IDataView data, TrainingColumns columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(columns);
        using var cursor = data.GetRowCursor(columns.Active);
        return cursor.MoveNext() && new RowReader(cursor, columns).FeaturesAreSparse();
    }

    /// <summary>Counts the rows of <paramref name="data"/> with a cursor that reads no column.</summary>
    internal static long CountRows(IDataView data)
    {
        long count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }

    /// <summary>Throws unless <paramref name="labels"/> hold at least two classes, naming the class found.</summary>
    internal static void CheckSeveralClasses(ReadOnlySpan<float> labels, string columnName, string[]? classNames)
    {
        var first = labels[0];
        foreach (var label in labels)
        {
            if (label != first)
            {
                return;
            }
        }

        var index = (int)first;
        var name = classNames is not null && index < classNames.Length ? classNames[index] : first.ToString(CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"The label column '{columnName}' has only one class ('{name}') in the {labels.Length} rows with a label; classification needs at least two classes.");
    }
}
