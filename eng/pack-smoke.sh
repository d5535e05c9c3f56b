#!/usr/bin/env bash
# Package smoke test: packs MlNetDeep and MlNetDeep.Core into a temporary folder feed, then builds and runs a fresh
# console app that references only the MlNetDeep package (from that feed) and Microsoft.ML 6.0.0. The app trains a
# small binary classifier on synthetic rows, saves it, loads it back in the same process and predicts; the script
# passes only if the app prints its "pack-smoke: ok" line. The packages get a version of their own
# (0.0.0-smoke.<time>.<pid>), so a package restored by an earlier run is never used; their copies in the global
# packages folder are removed on exit.
#
# Usage: eng/pack-smoke.sh [--no-build]
#   --no-build  pack the Release build already made by `dotnet build MlNetDeep.sln -c Release` (as .ci/run does)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

build=true
case "${1:-}" in
  --no-build) build=false ;;
  "") ;;
  *) echo "usage: eng/pack-smoke.sh [--no-build]" >&2; exit 2 ;;
esac

version="0.0.0-smoke.$(date +%s).$$"
work=$(mktemp -d)
packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
cleanup() {
  rm -rf "$work"
  if [ -n "$packages" ]; then
    rm -rf "$packages/mlnetdeep/$version" "$packages/mlnetdeep.core/$version"
    rmdir "$packages/mlnetdeep" "$packages/mlnetdeep.core" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if $build; then
  dotnet build src/MlNetDeep/MlNetDeep.csproj -c Release
fi
for project in src/MlNetDeep.Core/MlNetDeep.Core.csproj src/MlNetDeep/MlNetDeep.csproj; do
  dotnet pack "$project" -c Release --no-build -p:PackageVersion="$version" -o "$work/feed"
done

# The app lives outside the repository; empty Directory.Build files stop MSBuild from looking further up.
mkdir -p "$work/app"
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
# As the repository's NuGet.config: the default feed is inherited, and only the folder feed is added.
cat > "$work/app/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="pack-smoke" value="$work/feed" />
  </packageSources>
</configuration>
EOF
cat > "$work/app/PackSmoke.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="MlNetDeep" Version="$version" />
    <PackageReference Include="Microsoft.ML" Version="6.0.0" />
  </ItemGroup>
</Project>
EOF
cat > "$work/app/Program.cs" <<'EOF'
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep;

// 400 rows of 4 features; the label is whether x0 + x1 - x2 > 0 (x3 is noise).
var random = new Random(7);
var rows = new List<Row>();
for (var i = 0; i < 400; i++)
{
    var x = new float[4];
    for (var j = 0; j < x.Length; j++)
    {
        x[j] = (float)(random.NextDouble() * 2 - 1);
    }

    rows.Add(new Row { Features = x, Label = x[0] + x[1] - x[2] > 0 });
}

var mlContext = new MLContext(seed: 1);
var data = mlContext.Data.LoadFromEnumerable(rows);
var trainer = mlContext.BinaryClassification.Trainers.FeedForward(hiddenLayers: [16], activation: Activation.ReLU, numberOfEpochs: 30);
var model = trainer.Fit(data);
var accuracy = mlContext.BinaryClassification.Evaluate(model.Transform(data)).Accuracy;

var path = Path.Combine(Path.GetTempPath(), $"pack-smoke-{Environment.ProcessId}.zip");
mlContext.Model.Save(model, data.Schema, path);
var loaded = mlContext.Model.Load(path, out _);
File.Delete(path);

var before = mlContext.Model.CreatePredictionEngine<Row, Prediction>(model);
var after = mlContext.Model.CreatePredictionEngine<Row, Prediction>(loaded);
var same = rows.Count(row => before.Predict(row).Score == after.Predict(row).Score);
var sample = after.Predict(new Row { Features = [0.9f, 0.8f, -0.7f, 0f] });

var mlNet = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
var library = typeof(FeedForwardBinaryTrainer).Assembly.GetName().Version;
var ok = accuracy > 0.85 && same == rows.Count && sample.PredictedLabel;
Console.WriteLine(
    $"pack-smoke: {(ok ? "ok" : "FAILED")}: MlNetDeep {library} on Microsoft.ML {mlNet}: training accuracy {accuracy:F3}, " +
    $"{same} of {rows.Count} scores identical after save and load, (0.9, 0.8, -0.7, 0) -> {sample.PredictedLabel} (p = {sample.Probability:F3})");
return ok ? 0 : 1;

public sealed class Row
{
    [VectorType(4)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

public sealed class Prediction
{
    public bool PredictedLabel { get; set; }

    public float Score { get; set; }

    public float Probability { get; set; }
}
EOF

echo "pack-smoke: packages $version:"
ls "$work/feed"
output="$work/output.txt"
status=0
dotnet run --project "$work/app/PackSmoke.csproj" -c Release 2>&1 | tee "$output" || status=$?
if [ "$status" -ne 0 ] || ! grep -q '^pack-smoke: ok' "$output"; then
  echo "pack-smoke: the packaged MlNetDeep failed to train, save, load or predict (exit code $status)" >&2
  exit 1
fi
