using ProbeGrid.Analysis.Activations;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Activations;

public class ActivationExportTests
{
    private static FeatureMatrix ReadMatrix(string path)
    {
        using var stream = File.OpenRead(path);
        return NpyFile.ReadMatrix(stream, path);
    }

    [Fact]
    public void Each_layer_and_the_labels_are_written_as_npy_files_that_read_back_equal()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "export", "step-100");
        var layers = new Dictionary<string, FeatureMatrix>
        {
            ["conv1_preact"] = new([1f, 2f, 3f, 4f, 5f, 6f], 3, 2),
            ["logits"] = new([-1f, 0.25f, 9f], 3, 1),
        };
        long[] labels = [2, 0, 1];

        ActivationExport.ExportNpy(target, layers, labels);

        Assert.Equal(["conv1_preact.npy", "labels.npy", "logits.npy"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (tap, matrix) in layers)
        {
            var read = ReadMatrix(Path.Combine(target, tap + ".npy"));
            Assert.Equal((matrix.Rows, matrix.Columns), (read.Rows, read.Columns));
            Assert.Equal(matrix.Data, read.Data);
        }
        using var labelStream = File.OpenRead(Path.Combine(target, "labels.npy"));
        Assert.Equal(labels, NpyFile.ReadVector(labelStream, "labels.npy"));
    }

    [Fact]
    public void A_layer_whose_rows_do_not_match_the_labels_is_rejected_naming_it()
    {
        using var folder = new TempFolder();
        var layers = new Dictionary<string, FeatureMatrix> { ["layer7"] = new([1f, 2f], 2, 1) };

        var e = Assert.Throws<ArgumentException>(() => ActivationExport.ExportNpy(folder.Path, layers, [0, 1, 1]));

        Assert.Equal("layer 'layer7' has 2 rows but there are 3 labels", e.Message);
    }
}
