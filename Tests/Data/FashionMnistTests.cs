using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>Fashion-MNIST loading against small synthetic folders (the real files are tested in <see cref="FashionMnistRealDataTests"/>).</summary>
public sealed class FashionMnistTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Loads_full_sets_scaled_to_unit_range(bool gzip)
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 30, testCount: 12, gzip);

        var train = FashionMnist.LoadTrainSet(_folder.Path);
        var test = FashionMnist.LoadTestSet(_folder.Path);

        Assert.Equal(30, train.Count);
        Assert.Equal(12, test.Count);
        Assert.Equal([1L, 28, 28], train.SampleShape);
        Assert.Equal(10, train.ClassCount);
        Assert.Equal(30 * 784, train.Inputs.Length);
        Assert.Equal(Enumerable.Range(0, 30).Select(k => (long)(k % 10)), train.Labels);
        for (var k = 0; k < train.Count; k++) Assert.Equal(k, SyntheticFashionMnistFolder.FileIndexOf(train, k));
        Assert.Equal(1f, train.Inputs[2]);          // stored 255
        Assert.Equal(3f / 255f, train.Inputs[3]);   // stored 3
        Assert.All(train.Inputs, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Class_names_follow_label_order()
    {
        Assert.Equal(10, FashionMnist.ClassNames.Count);
        Assert.Equal("T-shirt/top", FashionMnist.ClassNames[0]);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[9]);
    }

    [Fact]
    public void Splits_are_reproducible_disjoint_and_the_requested_sizes()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 300, testCount: 60, gzip: true);

        var a = FashionMnist.Load(_folder.Path, trainCount: 200, validationCount: 50, testCount: 40, seed: 7);
        var b = FashionMnist.Load(_folder.Path, trainCount: 200, validationCount: 50, testCount: 40, seed: 7);

        Assert.Equal((200, 50, 40), (a.Train.Count, a.Validation.Count, a.Test.Count));
        Assert.Equal(a.Train.Inputs, b.Train.Inputs);
        Assert.Equal(a.Validation.Labels, b.Validation.Labels);
        Assert.Equal(a.Test.Inputs, b.Test.Inputs);

        var train = FileIndices(a.Train);
        var validation = FileIndices(a.Validation);
        var test = FileIndices(a.Test);
        Assert.Equal(200, train.Distinct().Count());
        Assert.Equal(50, validation.Distinct().Count());
        Assert.Equal(40, test.Distinct().Count());
        Assert.Empty(train.Intersect(validation));
        Assert.All(train.Concat(validation), i => Assert.InRange(i, 0, 299));
        Assert.All(test, i => Assert.InRange(i, 0, 59));
        // Labels travel with their images.
        Assert.Equal(train.Select(i => (long)(i % 10)), a.Train.Labels);
        // A shuffle, not a prefix.
        Assert.NotEqual(Enumerable.Range(0, 50), validation);
    }

    [Fact]
    public void Another_seed_gives_another_split()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 300, testCount: 60, gzip: false);

        var a = FashionMnist.Load(_folder.Path, 200, 50, 40, seed: 1);
        var b = FashionMnist.Load(_folder.Path, 200, 50, 40, seed: 2);

        Assert.NotEqual(FileIndices(a.Validation), FileIndices(b.Validation));
        Assert.NotEqual(FileIndices(a.Test), FileIndices(b.Test));
    }

    [Fact]
    public void Validation_set_does_not_move_when_only_the_train_count_changes()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 300, testCount: 60, gzip: false);

        var small = FashionMnist.Load(_folder.Path, 100, 50, 60, seed: 3);
        var large = FashionMnist.Load(_folder.Path, 250, 50, 60, seed: 3);

        Assert.Equal(FileIndices(small.Validation), FileIndices(large.Validation));
        Assert.Equal(FileIndices(small.Train), FileIndices(large.Train)[..100]);
        // The whole test file is used in file order.
        Assert.Equal(Enumerable.Range(0, 60), FileIndices(small.Test));
    }

    [Fact]
    public void Split_sizes_are_checked_against_the_standard_set_listing_every_problem()
    {
        var e = Assert.Throws<ArgumentException>(() => FashionMnist.Load(_folder.Path, 55_000, 10_000, 20_000, seed: 0));
        Assert.Contains("trainCount + validationCount must be at most 60000", e.Message);
        Assert.Contains("55000 + 10000 = 65000", e.Message);
        Assert.Contains("testCount must be at most 10000", e.Message);

        e = Assert.Throws<ArgumentException>(() => FashionMnist.Load(_folder.Path, 0, -1, 0, seed: 0));
        Assert.Contains("trainCount must be at least 1", e.Message);
        Assert.Contains("validationCount must be at least 1", e.Message);
        Assert.Contains("testCount must be at least 1", e.Message);
    }

    [Fact]
    public void Split_sizes_are_checked_against_the_files_present()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 300, testCount: 60, gzip: false);

        var e = Assert.Throws<ArgumentException>(() => FashionMnist.Load(_folder.Path, 280, 50, 61, seed: 0));
        Assert.Contains("must be at most 300", e.Message);
        Assert.Contains("must be at most 60", e.Message);
    }

    [Fact]
    public void Missing_folder_names_the_path_and_the_bootstrap_fix()
    {
        var missing = _folder.File("no-such-folder");

        var e = Assert.ThrowsAny<FileNotFoundException>(() => FashionMnist.Load(missing, 10, 10, 10, seed: 0));

        Assert.Contains(missing, e.Message);
        Assert.Contains("scripts/bootstrap", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void Missing_file_names_the_file_and_the_fix()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 20, testCount: 10, gzip: true);
        File.Delete(_folder.File(FashionMnist.TestLabelsFile + ".gz"));

        var e = Assert.ThrowsAny<FileNotFoundException>(() => FashionMnist.LoadTestSet(_folder.Path));

        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.Contains(_folder.Path, e.Message);
        Assert.Contains("scripts/bootstrap", e.Message);
    }

    [Fact]
    public void Image_and_label_count_mismatch_is_rejected()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 20, testCount: 10, gzip: false);
        IdxFileWriter.Write(_folder.File(FashionMnist.TrainLabelsFile), SyntheticFashionMnistFolder.Labels(19), gzip: false);

        var e = Assert.Throws<IdxFormatException>(() => FashionMnist.LoadTrainSet(_folder.Path));

        Assert.Contains("image count 20 differs from the label count 19", e.Message);
        Assert.Contains(FashionMnist.TrainLabelsFile, e.Message);
        Assert.Contains("dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void Label_out_of_range_is_rejected()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 20, testCount: 10, gzip: false);
        IdxFileWriter.Write(_folder.File(FashionMnist.TestLabelsFile), IdxFileWriter.UnsignedBytes([10], i => (byte)(i == 4 ? 10 : 0)), gzip: false);

        var e = Assert.Throws<IdxFormatException>(() => FashionMnist.LoadTestSet(_folder.Path));

        Assert.Contains("label 10 at index 4 is out of range", e.Message);
    }

    [Fact]
    public void Images_of_another_size_are_rejected()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 20, testCount: 10, gzip: false);
        IdxFileWriter.Write(_folder.File(FashionMnist.TestImagesFile), IdxFileWriter.UnsignedBytes([10, 32, 32], _ => 0), gzip: false);

        var e = Assert.Throws<IdxFormatException>(() => FashionMnist.LoadTestSet(_folder.Path));

        Assert.Contains("images are 32x32 pixels", e.Message);
    }

    [Fact]
    public void Damaged_file_names_the_reinstall_fix()
    {
        SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 20, testCount: 10, gzip: false);
        var imagesPath = _folder.File(FashionMnist.TrainImagesFile);
        File.WriteAllBytes(imagesPath, File.ReadAllBytes(imagesPath)[..1000]);

        var e = Assert.Throws<IdxFormatException>(() => FashionMnist.LoadTrainSet(_folder.Path));

        Assert.Contains("truncated: header says 20x28x28 = 15680 bytes but only 984 remain", e.Message);
        Assert.Contains("reinstall Debian's dataset-fashion-mnist", e.Message);
    }

    private static int[] FileIndices(LabeledData data) =>
        Enumerable.Range(0, data.Count).Select(k => SyntheticFashionMnistFolder.FileIndexOf(data, k)).ToArray();
}
