namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>What loading an image folder does with a file it cannot decode (the 'onCorrupt' parameter).</summary>
public enum CorruptImagePolicy
{
    /// <summary>Refuse the whole load, naming every unreadable file drawn and the decoder's reason (torchvision fails too).</summary>
    Fail,

    /// <summary>Leave the file out, record it in <see cref="DatasetSplits.Skipped"/>, and draw the next image of the seeded order in its place.</summary>
    Skip,
}
