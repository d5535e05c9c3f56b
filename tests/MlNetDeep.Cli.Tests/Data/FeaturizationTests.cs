using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;

namespace MlNetDeep.Cli.Tests.Data;

public class FeaturizationTests
{
    [Fact]
    public void FitsOnTheTrainingRowsAndEncodesMissingAndUnseenCategoriesAsZeros()
    {
        var table = CsvTable.Parse(new StringReader("x,colour,Label\n1,red,a\n3,blue,b\n,red,a\n5,,b\n,green,a\n"), "t.csv");
        var schema = DatasetSchema.Infer(table, "Label", null);
        var mlContext = new MLContext(seed: 1);
        var train = TableLoading.LoadForTraining(mlContext, table.Select([0, 1, 2]), schema);
        var test = TableLoading.LoadForTraining(mlContext, table.Select([3, 4]), schema);

        var featurizer = Featurization.Featurize(mlContext, schema).Fit(train);
        var features = featurizer.Transform(test).GetColumn<VBuffer<float>>(Featurization.FeaturesColumn).Select(v => v.DenseValues().ToArray()).ToArray();

        // x, then one slot per training colour (red, blue). Row 3: x = 5, colour empty (missing) → zeros.
        // Row 4: x empty → the training rows' mean (1 + 3) / 2, colour green (not seen in training) → zeros.
        Assert.Equal([[5f, 0f, 0f], [2f, 0f, 0f]], features);
    }
}
