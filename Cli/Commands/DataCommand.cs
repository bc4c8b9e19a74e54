using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;
using ProbeGrid.Cli.Logging;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid data image-folder --out DIR --size 96 --per-class 100 [--format png|jpeg] [--splits train=80,val=20]</c>:
/// writes a small image folder of Fashion-MNIST items (upscaled, RGB) that the image-folder data set and
/// torchvision's ImageFolder both read, for tests and examples.
/// </summary>
public static class DataCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "the folder to write (new or empty)", Required = true };
    private static readonly Option<int> Size = new("--size") { Description = "image side in pixels (Fashion-MNIST's 28 upscaled bilinearly)", DefaultValueFactory = _ => 96 };
    private static readonly Option<int?> PerClass = new("--per-class") { Description = "images per class (with --splits: their sum, if given)" };
    private static readonly Option<string> Format = new("--format") { Description = "png or jpeg", DefaultValueFactory = _ => "png" };
    private static readonly Option<int> Quality = new("--quality") { Description = "JPEG quality, 1 to 100", DefaultValueFactory = _ => 90 };
    private static readonly Option<string?> Splits = new("--splits") { Description = "split folders and their images per class, e.g. train=80,val=20 (default: one folder of classes)" };
    private static readonly Option<string> FashionMnistFolder = new("--fashion-mnist") { Description = "folder of Fashion-MNIST's IDX files", DefaultValueFactory = _ => FashionMnist.DefaultFolder };

    public static Command Build()
    {
        var imageFolder = new Command("image-folder", "Write a small image folder (one subfolder per class, optionally per split) of Fashion-MNIST items as RGB PNG or JPEG");
        foreach (var option in new Option[] { Out, Size, PerClass, Format, Quality, Splits, FashionMnistFolder }) imageFolder.Options.Add(option);
        imageFolder.SetAction((result, ct) => Task.Run(() => Execute(result), ct));
        var command = new Command("data", "Make data sets for tests and examples");
        command.Subcommands.Add(imageFolder);
        return command;
    }

    private static int Execute(ParseResult result)
    {
        var state = GlobalOptions.StateFolder(result);
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
        var logger = loggers.CreateLogger("probegrid.data");
        var problems = new List<string>();
        var format = result.GetValue(Format)!.Trim().ToLowerInvariant() switch
        {
            "png" => ImageFileFormat.Png,
            "jpeg" or "jpg" => ImageFileFormat.Jpeg,
            var other => Problem<ImageFileFormat>(problems, $"--format '{other}' must be png or jpeg"),
        };
        var perClass = result.GetValue(PerClass);
        var splits = ParseSplits(result.GetValue(Splits), perClass, problems);
        if (problems.Count > 0)
        {
            foreach (var p in problems) logger.LogError("{Problem}", p);
            return ExitCodes.BadInput;
        }

        var folder = Path.GetFullPath(result.GetValue(Out)!);
        try
        {
            var written = ImageFolderWriter.Write(folder, result.GetValue(Size), splits, format, result.GetValue(Quality), result.GetValue(FashionMnistFolder)!);
            logger.LogInformation("Wrote {Files} {Format} images of {Size}x{Size} to {Folder}: {Splits}; classes {Classes}",
                written, format, result.GetValue(Size), result.GetValue(Size), folder,
                string.Join(", ", splits.Select(s => (s.Split.Length == 0 ? "one folder" : s.Split) + $" {s.PerClass} per class")),
                string.Join(", ", ImageFolderWriter.ClassFolderNames));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }

    /// <summary>"train=80,val=20" as (split, per class) pairs; without it, one unnamed split of --per-class.</summary>
    private static List<(string Split, int PerClass)> ParseSplits(string? text, int? perClass, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (perClass is null) problems.Add("give --per-class (images per class), or --splits with the images per class of each split");
            return [("", perClass ?? 0)];
        }
        var splits = new List<(string, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || !int.TryParse(part[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                problems.Add($"--splits '{part}' must be name=count, e.g. --splits train=80,val=20");
            else splits.Add((part[..eq].Trim(), count));
        }
        if (perClass is { } total && splits.Sum(s => s.Item2) != total && problems.Count == 0)
            problems.Add($"--splits sum to {splits.Sum(s => s.Item2)} images per class but --per-class is {total}: make them agree, or leave --per-class out");
        return splits;
    }

    private static T Problem<T>(List<string> problems, string problem)
    {
        problems.Add(problem);
        return default!;
    }
}
