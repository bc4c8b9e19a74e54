namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>An image folder cannot be loaded as asked; the message lists every problem found, each with its fix.</summary>
public sealed class ImageFolderException(IReadOnlyList<string> problems)
    : IOException("Image folder cannot be loaded: " + string.Join("; ", problems) + ".")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
