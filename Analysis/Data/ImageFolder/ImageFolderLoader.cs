namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// Loads the three splits of an image folder. Each split draws from its folder (the root, or its own subfolder);
/// splits that share a folder draw disjoint subsets from one seeded permutation of its files (validation first, then
/// train, then test, as Fashion-MNIST carves its validation set), so only the drawn images are decoded. A split that
/// has a folder to itself and asks for all of it keeps ImageFolder's order. With onCorrupt=skip an unreadable image
/// is replaced by the next file of the same permutation (the failures of a round taken in split and slot order), so
/// the counts hold and the same parameters and seed give the same samples however the decoding was scheduled.
/// The samples are held as the options' budget allows (<see cref="ImageFolderLoadOptions.StorageFor"/>): floats, bytes, or
/// streamed from the files, with the same samples and values in each; a streamed split is checked now and decoded when read.
/// </summary>
public static class ImageFolderLoader
{
    // Splits drawn from one folder take its permutation in this order: validation first, so it does not move when
    // only the training count changes.
    private static readonly int[] DrawOrder = [1, 0, 2];

    /// <exception cref="ImageFolderException">The folders, counts, memory or (with onCorrupt=fail) images are not fit to load; lists every problem.</exception>
    public static DatasetSplits Load(ImageFolderSettings settings, long seed, ImageFolderLoadOptions? options = null)
    {
        options ??= new ImageFolderLoadOptions();
        var storage = options.StorageFor(settings);
        var problems = settings.SizeProblems(storage).ToList();
        if (problems.Count > 0) throw new ImageFolderException(problems);

        var root = Path.GetFullPath(settings.Root);
        var realRoot = RealPath.Of(root) ?? throw new ImageFolderException([$"folder '{root}' does not exist: give the folder that holds the class folders"]);
        var sources = new List<string>();
        var sourceOf = new int[3];
        for (var s = 0; s < 3; s++)
        {
            var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.SplitFolders[s].Length == 0 ? root : Path.Join(root, settings.SplitFolders[s])));
            sourceOf[s] = sources.IndexOf(folder);
            if (sourceOf[s] < 0) { sourceOf[s] = sources.Count; sources.Add(folder); }
        }

        var listings = new ImageFolderListing?[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            if (RealPath.Of(sources[i]) is { } real && !RealPath.IsUnder(real, realRoot))
            {
                problems.Add($"folder '{sources[i]}' leads outside '{root}' (to '{real}'): split folders must lie inside the root the data roots checked");
                continue;
            }
            try { listings[i] = ImageFolderListing.Of(sources[i]); }
            catch (ImageFolderException e) { problems.AddRange(e.Problems); }
        }
        if (problems.Count > 0) throw new ImageFolderException(problems);
        var lists = listings.Select(l => l!).ToArray();

        problems.AddRange(ClassProblems(settings, lists));
        problems.AddRange(CountProblems(settings, lists, sourceOf));
        if (problems.Count > 0) throw new ImageFolderException(problems);

        // The drawn files of each split, and the files each folder holds in reserve for replacements.
        var picks = new int[3][];
        var reserves = new Queue<int>[sources.Count];
        for (var source = 0; source < sources.Count; source++)
        {
            var splits = DrawOrder.Where(s => sourceOf[s] == source).ToArray();
            var size = lists[source].Count;
            var order = splits.Length == 1 && settings.Counts[splits[0]] == size
                ? Enumerable.Range(0, size).ToArray()
                : SeededRandom.Permutation(size, SeededRandom.Create(seed, stream: source));
            var next = 0;
            foreach (var s in splits)
            {
                picks[s] = order[next..(next + settings.Counts[s])];
                next += settings.Counts[s];
            }
            reserves[source] = new Queue<int>(order[next..]);
        }

        var transform = new ImageTransform(settings);
        var (floats, bytes) = (new float[]?[3], new CachedPixels?[3]);
        for (var s = 0; s < 3; s++)
        {
            if (storage == ImageFolderStorage.Floats) floats[s] = GC.AllocateUninitializedArray<float>(checked(settings.Counts[s] * transform.SampleSize));
            else if (storage == ImageFolderStorage.Bytes) bytes[s] = new CachedPixels(settings.Counts[s], transform);
        }
        // Where a decoded image goes: its split's floats or bytes; nowhere when a streamed split only checks that it decodes.
        Action<int, int, DecodedImage> store = storage switch
        {
            ImageFolderStorage.Floats => (split, slot, image) => transform.Apply(image, floats[split]!.AsSpan(slot * transform.SampleSize, transform.SampleSize)),
            ImageFolderStorage.Bytes => (split, slot, image) => transform.Crop(image, bytes[split]!.Pixels(slot)),
            _ => (_, _, _) => { },
        };

        var skipped = new List<string>();
        var pending = Enumerable.Range(0, 3).SelectMany(s => Enumerable.Range(0, settings.Counts[s]).Select(slot => (Split: s, Slot: slot))).ToList();
        // A streamed split with onCorrupt=fail reads only headers now (a damaged body fails the batch that reaches it); with skip,
        // every drawn image is decoded once, so the replacements, and hence the samples, are those of the in-memory storages.
        var headersOnly = storage == ImageFolderStorage.Streamed && settings.OnCorrupt == CorruptImagePolicy.Fail;
        while (pending.Count > 0)
        {
            var paths = pending.Select(p => lists[sourceOf[p.Split]].Files[picks[p.Split][p.Slot]]).ToArray();
            var failures = headersOnly
                ? CheckHeaders(paths, realRoot, options.EffectiveParallelism)
                : Decode(paths, realRoot, settings.Channels, options.EffectiveParallelism, (i, image) => store(pending[i].Split, pending[i].Slot, image));
            if (failures.Count == 0) break;
            if (settings.OnCorrupt == CorruptImagePolicy.Fail)
                throw new ImageFolderException([
                    $"{failures.Count} of the images drawn cannot be decoded (onCorrupt=fail): " +
                    string.Join("; ", failures.Select(f => $"'{paths[f.Index]}' {f.Reason}")) +
                    "; replace or remove them, or set onCorrupt=skip to draw other images in their place"]);

            skipped.AddRange(failures.Select(f => $"{paths[f.Index]}: {f.Reason}"));
            var retry = new List<(int Split, int Slot)>();
            foreach (var (index, _) in failures)
            {
                var (split, slot) = pending[index];
                if (!reserves[sourceOf[split]].TryDequeue(out var replacement))
                    throw new ImageFolderException([
                        $"folder '{sources[sourceOf[split]]}' has too few decodable images for the counts asked of it: {skipped.Count} skipped " +
                        $"({string.Join("; ", skipped)}); lower the counts or replace the unreadable images"]);
                picks[split][slot] = replacement;
                retry.Add((split, slot));
            }
            pending = retry;
        }

        var data = new LabeledData[3];
        for (var s = 0; s < 3; s++)
        {
            var labels = picks[s].Select(f => (long)lists[sourceOf[s]].Labels[f]).ToArray();
            var classes = lists[0].Classes.Count;
            data[s] = storage switch
            {
                ImageFolderStorage.Floats => new LabeledData(floats[s]!, settings.SampleShape, labels, classes),
                ImageFolderStorage.Bytes => LabeledData.FromSource(bytes[s]!, settings.SampleShape, labels, classes),
                _ => LabeledData.FromSource(
                    new StreamedImages([.. picks[s].Select(f => lists[sourceOf[s]].Files[f])], realRoot, transform, settings.Channels, settings.OnCorrupt,
                        options.EffectiveParallelism, options.PrefetchBatches),
                    settings.SampleShape, labels, classes),
            };
        }
        return new DatasetSplits(data[0], data[1], data[2]) { Skipped = skipped };
    }

    /// <summary>
    /// Decodes <paramref name="paths"/> in parallel, handing each image to <paramref name="store"/> with its index; the failures
    /// (index and reason) in index order, so what follows from them does not depend on the scheduling.
    /// </summary>
    /// <exception cref="ImageFolderException">Files that are links leading outside the root, all of them named.</exception>
    internal static List<(int Index, string Reason)> Decode(
        IReadOnlyList<string> paths, string realRoot, int channels, int parallelism, Action<int, DecodedImage> store, CancellationToken ct = default)
    {
        var reasons = new string?[paths.Count];
        var escapes = new string?[paths.Count];
        // At most `parallelism` images are decoded and held at once: memory stays bounded whatever the split's size.
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, i =>
        {
            if (Escape(paths[i], realRoot) is { } escape) escapes[i] = escape;
            else if (ImageDecoder.TryDecode(paths[i], channels, out var reason) is { } image) store(i, image);
            else reasons[i] = reason;
        });
        return Failures(reasons, escapes);
    }

    /// <summary>As <see cref="Decode"/>, but only opening each file's header (a streamed split loaded with onCorrupt=fail).</summary>
    private static List<(int Index, string Reason)> CheckHeaders(IReadOnlyList<string> paths, string realRoot, int parallelism)
    {
        var reasons = new string?[paths.Count];
        var escapes = new string?[paths.Count];
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
        {
            if (Escape(paths[i], realRoot) is { } escape) escapes[i] = escape;
            else reasons[i] = ImageDecoder.HeaderProblem(paths[i]);
        });
        return Failures(reasons, escapes);
    }

    /// <summary>Why <paramref name="path"/> may not be opened: it is a link whose real path leaves the root; null when it may.</summary>
    private static string? Escape(string path, string realRoot) =>
        RealPath.Of(path) is { } real && !RealPath.IsUnder(real, realRoot) ? $"'{path}' leads outside the root (to '{real}')" : null;

    private static List<(int Index, string Reason)> Failures(string?[] reasons, string?[] escapes)
    {
        var outside = escapes.OfType<string>().ToList();
        if (outside.Count > 0)
            throw new ImageFolderException([$"{outside.Count} image(s) are links to files outside the root: {string.Join("; ", outside)}; copy them into the folder instead"]);
        return [.. reasons.Select((reason, i) => (Index: i, Reason: reason)).Where(f => f.Reason is not null).Select(f => (f.Index, f.Reason!))];
    }

    /// <summary>Every folder must have the same classes (ImageFolder numbers them by position), and as many as 'classCount' states.</summary>
    private static IEnumerable<string> ClassProblems(ImageFolderSettings settings, ImageFolderListing[] lists)
    {
        var first = lists[0];
        foreach (var other in lists.Skip(1).Where(l => !l.Classes.SequenceEqual(first.Classes, StringComparer.Ordinal)))
        {
            var missing = first.Classes.Except(other.Classes, StringComparer.Ordinal).Take(5).ToList();
            var extra = other.Classes.Except(first.Classes, StringComparer.Ordinal).Take(5).ToList();
            yield return $"folders '{first.Folder}' ({first.Classes.Count} classes) and '{other.Folder}' ({other.Classes.Count} classes) hold different class folders" +
                         (missing.Count > 0 ? $"; only the first has {string.Join(", ", missing)}" : "") +
                         (extra.Count > 0 ? $"; only the second has {string.Join(", ", extra)}" : "") +
                         ": every split needs the same classes, since a class's index is its position in the sorted names";
        }
        if (settings.StatedClassCount is { } stated && stated != first.Classes.Count)
            yield return $"parameter '{ImageFolderSettings.ClassCountParameter}' is {stated} but '{first.Folder}' has {first.Classes.Count} class folders: " +
                         "correct it or leave it out (the folder is then counted when the sweep is planned)";
    }

    /// <summary>The splits drawn from one folder must fit in it together.</summary>
    private static IEnumerable<string> CountProblems(ImageFolderSettings settings, ImageFolderListing[] lists, int[] sourceOf)
    {
        string[] countNames = [DatasetParameters.TrainCount, DatasetParameters.ValidationCount, DatasetParameters.TestCount];
        for (var source = 0; source < lists.Length; source++)
        {
            var splits = Enumerable.Range(0, 3).Where(s => sourceOf[s] == source).ToList();
            var wanted = splits.Sum(s => (long)settings.Counts[s]);
            if (wanted > lists[source].Count)
                yield return $"{string.Join(" + ", splits.Select(s => $"{countNames[s]} {settings.Counts[s]}"))} = {wanted} images are drawn from " +
                             $"'{lists[source].Folder}', which holds {lists[source].Count}: lower " + (splits.Count > 1 ? "them" : "it") +
                             (splits.Count > 1 ? ", or give the splits folders of their own (train, validation, test)" : "");
        }
    }
}
