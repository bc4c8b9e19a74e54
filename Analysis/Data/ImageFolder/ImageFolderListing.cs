namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// The images of one folder as torchvision's ImageFolder finds them: every subfolder is a class (hidden ones too),
/// classes sorted by ordinal name and numbered by position; a class's images are the files below its folder whose
/// names end in an image extension (any case), folder by folder in ordinal path order, names sorted within a folder
/// (sorted(os.walk(...)) then sorted(fnames)). Listing opens no image, so it is cheap for an ImageNet-size folder.
/// </summary>
public sealed class ImageFolderListing
{
    /// <summary>The extensions ProbeGrid decodes (with SkiaSharp).</summary>
    public static IReadOnlyList<string> DecodedExtensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    /// <summary>torchvision's IMG_EXTENSIONS that ProbeGrid cannot decode: refused rather than silently left out.</summary>
    public static IReadOnlyList<string> UndecodedExtensions { get; } = [".ppm", ".pgm", ".tif", ".tiff"];

    // Hidden entries count, as os.scandir and os.walk see them; no access error is silently ignored.
    private static readonly EnumerationOptions Everything = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    private ImageFolderListing(string folder, IReadOnlyList<string> classes, string[] files, int[] labels)
    {
        Folder = folder;
        Classes = classes;
        Files = files;
        Labels = labels;
    }

    public string Folder { get; }

    /// <summary>The class names in index order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every image's path, class by class, in ImageFolder's order.</summary>
    public string[] Files { get; }

    /// <summary>Each file's class index.</summary>
    public int[] Labels { get; }

    public int Count => Files.Length;

    /// <summary>The class folder names of <paramref name="folder"/>, sorted ordinally (directories only: no file is listed).</summary>
    /// <exception cref="ImageFolderException">The folder is missing or has no class folders.</exception>
    public static IReadOnlyList<string> ClassNames(string folder)
    {
        var problems = new List<string>();
        var classes = ClassNames(folder, problems);
        return problems.Count == 0 ? classes! : throw new ImageFolderException(problems);
    }

    /// <summary>The listing of <paramref name="folder"/>.</summary>
    /// <exception cref="ImageFolderException">Listing every problem: a missing folder, no class folders, classes without images, images ProbeGrid cannot decode.</exception>
    public static ImageFolderListing Of(string folder)
    {
        var problems = new List<string>();
        var classes = ClassNames(folder, problems);
        if (classes is null) throw new ImageFolderException(problems);

        var files = new List<string>();
        var labels = new List<int>();
        var undecoded = new Dictionary<string, (int Count, string Example)>(StringComparer.Ordinal);
        for (var c = 0; c < classes.Count; c++)
        {
            var classFolder = Path.Join(folder, classes[c]);
            var before = files.Count;
            var others = new List<string>();
            var undecodedHere = 0;
            foreach (var directory in FoldersBelow(classFolder))
            {
                foreach (var file in Directory.EnumerateFiles(directory, "*", Everything).Order(StringComparer.Ordinal))
                {
                    var extension = Path.GetExtension(file).ToLowerInvariant();
                    if (DecodedExtensions.Contains(extension)) files.Add(file);
                    else if (UndecodedExtensions.Contains(extension))
                    {
                        undecodedHere++;
                        undecoded[extension] = undecoded.TryGetValue(extension, out var seen) ? (seen.Count + 1, seen.Example) : (1, file);
                    }
                    else others.Add(Path.GetRelativePath(classFolder, file));
                }
            }
            labels.AddRange(Enumerable.Repeat(c, files.Count - before));
            if (files.Count == before && undecodedHere == 0) // a class of only .tif files is reported below, with the fix
                problems.Add($"class folder '{classFolder}' has no images (files ending {string.Join(", ", DecodedExtensions)}, in any case)" +
                             (others.Count == 0 ? "" : $"; it holds {others.Count} other file(s): {string.Join(", ", others.Take(5))}{(others.Count > 5 ? ", ..." : "")}") +
                             ": put its images in it, or remove the folder (every subfolder of the root is a class, as in torchvision's ImageFolder)");
        }
        foreach (var (extension, (count, example)) in undecoded.OrderBy(u => u.Key, StringComparer.Ordinal))
            problems.Add($"{count} {extension} file(s) (e.g. '{example}') are images torchvision's ImageFolder reads but ProbeGrid does not decode " +
                         $"({string.Join(", ", DecodedExtensions)}): convert them, e.g. `mogrify -format png *{extension}`, or move them out of the folder");
        if (problems.Count > 0) throw new ImageFolderException(problems);
        return new ImageFolderListing(folder, classes, [.. files], [.. labels]);
    }

    private static IReadOnlyList<string>? ClassNames(string folder, List<string> problems)
    {
        if (!Directory.Exists(folder))
        {
            problems.Add(File.Exists(folder)
                ? $"'{folder}' is a file, not a folder: give the folder that holds one subfolder per class"
                : $"folder '{folder}' does not exist: give the folder that holds one subfolder per class (e.g. {Path.Join(folder, "cat", "1.jpg")})");
            return null;
        }
        var classes = Directory.EnumerateDirectories(folder, "*", Everything).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
        {
            var files = Directory.EnumerateFiles(folder, "*", Everything).Count();
            problems.Add($"folder '{folder}' has no class folders" + (files > 0 ? $" (it holds {files} file(s) directly)" : " (it is empty)") +
                         $": an image folder holds one subfolder per class with that class's images, e.g. {Path.Join(folder, "cat", "1.jpg")}");
            return null;
        }
        return classes!;
    }

    /// <summary>A class folder and every folder below it, in ordinal path order (os.walk's folders, sorted); links to folders are not followed, so a link loop cannot recurse.</summary>
    private static List<string> FoldersBelow(string classFolder)
    {
        var folders = new List<string> { classFolder };
        for (var i = 0; i < folders.Count; i++)
            folders.AddRange(Directory.EnumerateDirectories(folders[i], "*", Everything).Where(d => new DirectoryInfo(d).LinkTarget is null));
        folders.Sort(StringComparer.Ordinal);
        return folders;
    }
}
