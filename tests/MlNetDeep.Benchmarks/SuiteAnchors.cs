using System.Text.Json;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The suite's data sets and the anchor systems' scores on them, read from <c>anchors.json</c> in the data directory:
/// <c>datasets.NAME</c> gives the task (<c>multiclass</c>, <c>binary</c>, <c>regression</c>) and the columns the
/// anchors one-hot encoded (<c>categorical</c>); <c>anchors.NAME.SYSTEM.METRIC</c> gives <c>mean</c>, <c>std</c>,
/// <c>median</c> and <c>n</c> over seeds, with METRIC <c>accuracy</c> for classification, <c>rmse</c> for regression
/// and <c>fit_s</c> for the fit time.
/// </summary>
internal sealed class SuiteAnchors
{
    /// <summary>The key of the PyTorch MLP anchor.</summary>
    public const string TorchMlp = "torch_mlp";

    /// <summary>The key of the ML.NET LightGbm anchor.</summary>
    public const string LightGbm = "mlnet_lightgbm";

    /// <summary>The key of the TabM anchor.</summary>
    public const string TabM = "tabm";

    private static readonly Dictionary<string, string> DisplayNames = new(StringComparer.Ordinal)
    {
        [TorchMlp] = "PyTorch MLP",
        ["sklearn_mlp"] = "sklearn MLP",
        [LightGbm] = "ML.NET LightGbm",
        ["mlnet_linear"] = "ML.NET linear",
        [TabM] = "TabM",
    };

    private SuiteAnchors(IReadOnlyList<Dataset> datasets)
    {
        Datasets = datasets;
    }

    /// <summary>The data sets in file order.</summary>
    public IReadOnlyList<Dataset> Datasets { get; }

    /// <summary>The metric of a task as <c>anchors.json</c> names it.</summary>
    public static string MetricOf(TaskKind task) => task == TaskKind.Regression ? "rmse" : "accuracy";

    /// <summary>Reads <c>anchors.json</c>.</summary>
    /// <exception cref="InvalidDataException">A data set's task is not one of the three.</exception>
    public static SuiteAnchors Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var scores = root.GetProperty("anchors");
        var datasets = new List<Dataset>();
        foreach (var set in root.GetProperty("datasets").EnumerateObject())
        {
            var task = set.Value.GetProperty("task").GetString() switch
            {
                "multiclass" => TaskKind.Multiclass,
                "binary" => TaskKind.Binary,
                "regression" => TaskKind.Regression,
                var other => throw new InvalidDataException($"{path}: data set '{set.Name}' has the task '{other}'; expected multiclass, binary or regression."),
            };
            string[] categorical = set.Value.TryGetProperty("categorical", out var columns) ? [.. columns.EnumerateArray().Select(c => c.GetString()!)] : [];
            var anchors = new List<Anchor>();
            if (scores.TryGetProperty(set.Name, out var systems))
            {
                foreach (var system in systems.EnumerateObject())
                {
                    if (system.Value.TryGetProperty(MetricOf(task), out var score))
                    {
                        var name = DisplayNames.GetValueOrDefault(system.Name, system.Name);
                        anchors.Add(new Anchor(system.Name, name, Statistic(score), system.Value.TryGetProperty("fit_s", out var fit) ? Statistic(fit) : null));
                    }
                }
            }

            datasets.Add(new Dataset(set.Name, task, categorical, anchors));
        }

        return new SuiteAnchors(datasets);
    }

    private static SeedStatistic Statistic(JsonElement element) => new(
        element.GetProperty("mean").GetDouble(),
        element.GetProperty("std").GetDouble(),
        element.GetProperty("median").GetDouble(),
        element.GetProperty("n").GetInt32());

    /// <summary>One data set: its name (the CSV is NAME.csv), task, the columns the anchors one-hot encoded, and the anchors' scores.</summary>
    internal sealed record Dataset(string Name, TaskKind Task, IReadOnlyList<string> Categorical, IReadOnlyList<Anchor> Anchors)
    {
        /// <summary>The metric's name in <c>anchors.json</c>.</summary>
        public string Metric => MetricOf(Task);

        /// <summary>Whether a lower score is better (RMSE).</summary>
        public bool LowerIsBetter => Task == TaskKind.Regression;

        /// <summary>The anchor with the best mean, or null when there is none.</summary>
        public Anchor? Best => Anchors.Count == 0 ? null : LowerIsBetter ? Anchors.MinBy(a => a.Score.Mean) : Anchors.MaxBy(a => a.Score.Mean);

        /// <summary>The anchor of <paramref name="system"/>, or null.</summary>
        public Anchor? Find(string system) => Anchors.FirstOrDefault(a => a.System == system);

        /// <summary>Whether <paramref name="score"/> is at least as good as <paramref name="reference"/>.</summary>
        public bool AtLeastAsGood(double score, double reference) => LowerIsBetter ? score <= reference : score >= reference;
    }

    /// <summary>One anchor system's score and fit time (seconds) over seeds on one data set.</summary>
    internal sealed record Anchor(string System, string Name, SeedStatistic Score, SeedStatistic? FitSeconds);
}
