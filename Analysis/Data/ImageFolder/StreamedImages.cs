using System.Globalization;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// A split too large for memory even as bytes: only its drawn files are held, and each batch is decoded and transformed when
/// read, in parallel, with the next batches decoded in the background while the caller runs the current one
/// (<see cref="BatchPrefetcher"/>). The values are those the in-memory storages hold. The files were checked when the folder was
/// loaded (<see cref="ImageFolderLoader"/>); one that fails now is named, with why it was not caught then and the fix.
/// </summary>
/// <param name="files">the split's drawn images, in sample order.</param>
/// <param name="realRoot">the root's real path: a file that has become a link out of it is refused, as when loading.</param>
/// <param name="checkedWhenLoaded">what the load checked of each file (onCorrupt=skip decodes every one; fail reads their headers).</param>
/// <param name="parallelism">images decoded at once.</param>
/// <param name="ahead">batches decoded ahead of the one being read (0: none, each batch decoded when asked for).</param>
public sealed class StreamedImages(
    string[] files, string realRoot, ImageTransform transform, int channels, CorruptImagePolicy checkedWhenLoaded, int parallelism, int ahead)
    : IInputSource
{
    public int Count => files.Length;

    public int SampleSize => transform.SampleSize;

    /// <summary>Nothing between batches but the file names; a read holds its batches (see <see cref="ImageFolderLoadOptions.HeldBytes"/>).</summary>
    public long HeldBytes => 0;

    public string Description => string.Create(CultureInfo.InvariantCulture, $"streamed from {Count:N0} image files");

    /// <summary>The files, in sample order.</summary>
    public IReadOnlyList<string> Files => files;

    public void Read(int start, int count, Span<float> target)
    {
        if (start < 0 || count < 0 || start + count > Count) throw new ArgumentOutOfRangeException(nameof(count), $"samples {start} to {start + count} of {Count}");
        if (target.Length != count * SampleSize) throw new ArgumentException($"the target holds {target.Length} floats, {count} samples {count * SampleSize}", nameof(target));
        var values = GC.AllocateUninitializedArray<float>(target.Length);
        Decode(start, count, values, CancellationToken.None);
        values.CopyTo(target);
    }

    public IEnumerable<float[]> Batches(int batchSize, CancellationToken ct) =>
        BatchPrefetcher.Batches(Count, batchSize, ahead, (start, count, token) =>
        {
            var values = GC.AllocateUninitializedArray<float>(count * SampleSize);
            Decode(start, count, values, token);
            return values;
        }, ct);

    /// <exception cref="ImageFolderException">Files of the range no longer decode, each named with the reason and the fix.</exception>
    private void Decode(int start, int count, float[] values, CancellationToken ct)
    {
        var failures = ImageFolderLoader.Decode(files.AsSpan(start, count).ToArray(), realRoot, channels, parallelism,
            (i, image) => transform.Apply(image, values.AsSpan(i * SampleSize, SampleSize)), ct);
        if (failures.Count == 0) return;
        var named = string.Join("; ", failures.Select(f => $"'{files[start + f.Index]}' {f.Reason}"));
        throw new ImageFolderException([checkedWhenLoaded == CorruptImagePolicy.Skip
            ? $"{failures.Count} image(s) of a streamed split decoded when the folder was loaded but no longer do: {named}; " +
              "the folder changed while in use: restore the files, or load the data set again (restart the silo) to draw others in their place"
            : $"{failures.Count} image(s) of a streamed split cannot be decoded (onCorrupt=fail): {named}; a streamed split's images are " +
              "only opened to their headers when it is loaded, so damage past the header is found when its batch is read: replace or remove them, " +
              "or set onCorrupt=skip, which decodes every drawn image once when loading and draws others in place of those that fail"]);
    }
}
