using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Tests.Checkpoints;

public class CheckpointDiscoveryTests
{
    private static void Touch(TempFolder folder, string name, DateTime? writtenAt = null)
    {
        File.WriteAllText(folder.File(name), name);
        if (writtenAt is DateTime at)
            File.SetLastWriteTimeUtc(folder.File(name), at);
    }

    private static string[] Names(IReadOnlyList<DiscoveredCheckpoint> found) => found.Select(f => Path.GetFileName(f.Path)).ToArray();

    [Fact]
    public void Without_an_index_files_are_ordered_by_the_step_in_their_names()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "step-100.pt", "ckpt_5.safetensors", "step-20.pt", "step-000009.pt", "notes.txt", "optimizer.bin" })
            Touch(folder, name, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(-name.Length));

        var found = CheckpointDiscovery.Find(folder.Path);

        Assert.Equal(["ckpt_5.safetensors", "step-000009.pt", "step-20.pt", "step-100.pt"], Names(found));
        Assert.Equal([5L, 9L, 20L, 100L], found.Select(f => f.Step!.Value));
        Assert.All(found, f => Assert.True(Path.IsPathFullyQualified(f.Path)));
    }

    [Fact]
    public void Names_without_numbers_fall_back_to_modification_time()
    {
        using var folder = new TempFolder();
        var t0 = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        Touch(folder, "final.pt", t0.AddHours(3));
        Touch(folder, "step-2.pt", t0.AddHours(1));
        Touch(folder, "best.pt", t0.AddHours(2));
        Touch(folder, "step-1.pt", t0.AddHours(4));

        Assert.Equal(["step-2.pt", "best.pt", "final.pt", "step-1.pt"], Names(CheckpointDiscovery.Find(folder.Path)));
    }

    [Fact]
    public void A_glob_selects_files_by_its_pattern()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "a-3.pt", "a-1.pt", "b-2.pt", "a-2.safetensors" })
            Touch(folder, name);

        Assert.Equal(["a-1.pt", "a-3.pt"], Names(CheckpointDiscovery.Find(Path.Combine(folder.Path, "a-*.pt"))));
        Assert.Equal(["a-1.pt", "a-2.safetensors", "a-3.pt"], Names(CheckpointDiscovery.Find(Path.Combine(folder.Path, "a-*.pt;a-*.safetensors"))));
    }

    [Fact]
    public void An_index_decides_the_order_and_the_set()
    {
        using var folder = new TempFolder();
        var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // Names that would sort differently; the index is authoritative.
        Touch(folder, "late.pt");
        Touch(folder, "early.pt");
        Touch(folder, "middle.pt");
        Touch(folder, "not-indexed-1.pt");
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(500, "late.pt", t.AddHours(2), 0.1));
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(0, "early.pt", t, null));
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(200, "middle.pt", t.AddHours(1), 0.5));

        var found = CheckpointDiscovery.Find(folder.Path);

        Assert.Equal(["early.pt", "middle.pt", "late.pt"], Names(found));
        Assert.Equal([0L, 200L, 500L], found.Select(f => f.Step!.Value));
        Assert.Equal([null, 0.5, 0.1], found.Select(f => f.TrainLoss));
        Assert.Equal(t.AddHours(1), found[1].WrittenAt);
    }

    [Fact]
    public void Appending_a_step_again_replaces_its_entry()
    {
        using var folder = new TempFolder();
        var t = DateTime.UtcNow;
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(10, "step-10.pt", t, 1.0));
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(5, "step-5.pt", t, 2.0));
        var index = CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(10, "step-10.pt", t, 0.5));

        Assert.Equal([5L, 10L], index.Entries.Select(e => e.Step));
        Assert.Equal(0.5, CheckpointIndex.TryLoad(folder.Path)!.Entries[1].TrainLoss);
        Assert.Equal(["index.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName)); // no temp files left
    }

    [Fact]
    public void An_index_naming_missing_files_is_reported()
    {
        using var folder = new TempFolder();
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(1, "gone-1.pt", DateTime.UtcNow, null));
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(2, "gone-2.pt", DateTime.UtcNow, null));
        var error = Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(folder.Path));
        Assert.Contains("gone-1.pt", error.Message);
        Assert.Contains("gone-2.pt", error.Message);
    }

    [Fact]
    public void An_index_entry_in_a_format_ProbeGrid_cannot_read_is_reported_not_left_out()
    {
        using var folder = new TempFolder();
        Touch(folder, "step-1.pt");
        Touch(folder, "step-2.ckpt");
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(1, "step-1.pt", DateTime.UtcNow, null));
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(2, "step-2.ckpt", DateTime.UtcNow, null));

        var error = Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(folder.Path));
        Assert.Equal(["index.json lists step 2 as 'step-2.ckpt', which is not a checkpoint format ProbeGrid reads (*.pt or *.pth or *.bin or *.safetensors or *.safetensors.index.json or *.bin.index.json)."], error.Problems);
        Assert.StartsWith("Convert those checkpoints", error.Fix, StringComparison.Ordinal);
        // A pattern after the folder says which files are meant: the others are left out as asked.
        Assert.Equal(["step-1.pt"], Names(CheckpointDiscovery.Find(Path.Combine(folder.Path, "*.pt"))));
    }

    [Fact]
    public void A_missing_folder_or_no_checkpoints_is_a_clear_error_naming_the_path()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "nope");
        var error = Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("does not exist", error.Message);

        Touch(folder, "readme.txt");
        var empty = Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(folder.Path));
        Assert.Contains(folder.Path, empty.Message);
        Assert.Contains("no checkpoint matches *.pt or *.pth or *.bin or *.safetensors", empty.Message);
    }

    [Fact]
    public void A_single_file_is_found_as_itself()
    {
        using var folder = new TempFolder();
        Touch(folder, "step-7.pt");
        Touch(folder, "step-8.pt");
        var found = Assert.Single(CheckpointDiscovery.Find(folder.File("step-8.pt")));
        Assert.Equal(8, found.Step);
    }

    [Fact]
    public void Files_the_caller_may_not_read_are_all_reported_and_none_is_returned()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "step-1.pt", "step-2.pt", "step-3.pt" })
            Touch(folder, name);
        bool MayRead(string path) => Path.GetFileName(path) is not ("step-2.pt" or "step-3.pt");

        var error = Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(folder.Path, MayRead));

        Assert.Equal(folder.Path, error.FilePath);
        Assert.Equal([$"'step-2.pt' is {folder.File("step-2.pt")}: outside the data roots.", $"'step-3.pt' is {folder.File("step-3.pt")}: outside the data roots."],
            error.Problems);
        Assert.Equal(3, CheckpointDiscovery.Find(folder.Path).Count); // no check without a predicate
        Assert.Single(CheckpointDiscovery.Find(folder.File("step-1.pt"), MayRead));
        Assert.Contains("lies outside the data roots", Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(folder.File("step-2.pt"), MayRead)).Message);
    }

    [Fact]
    public void Index_entries_the_caller_may_not_read_are_refused_before_their_existence_is_checked()
    {
        using var folder = new TempFolder();
        Touch(folder, "kept.pt");
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(0, "kept.pt", DateTime.UtcNow, null));
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(1, "/elsewhere/gone.pt", DateTime.UtcNow, null));
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(2, "gone.pt", DateTime.UtcNow, null));
        bool MayRead(string path) => path.StartsWith(folder.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal);

        var error = Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(folder.Path, MayRead));

        Assert.Equal([
            "index.json lists step 1 as '/elsewhere/gone.pt', which is /elsewhere/gone.pt: outside the data roots.",
            "index.json lists step 2 as 'gone.pt', which does not exist.",
        ], error.Problems);
        Assert.StartsWith("Make index.json list files inside the data roots", error.Fix, StringComparison.Ordinal);
        Assert.Contains("Restore the missing files.", error.Fix, StringComparison.Ordinal);

        Assert.Contains("index.json", Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(folder.Path, path => Path.GetFileName(path) != "index.json")).FilePath);
    }

    [Theory]
    [InlineData("step-000100.pt", 100L)]
    [InlineData("ckpt_5.safetensors", 5L)]
    [InlineData("run3-step-7.pt", 7L)]
    [InlineData("final.pt", null)]
    public void Step_numbers_come_from_the_last_number_in_the_name(string name, long? step)
    {
        Assert.Equal(step, CheckpointDiscovery.StepFromFileName(name));
    }
}
