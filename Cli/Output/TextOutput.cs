namespace ProbeGrid.Cli.Output;

/// <summary>Where a command's CSV or JSON goes: the file named by --out, else standard output.</summary>
public static class TextOutput
{
    public static void Write(string? path, Action<TextWriter> write)
    {
        if (path is null)
        {
            write(Console.Out);
            return;
        }
        using var writer = new StreamWriter(Path.GetFullPath(path));
        write(writer);
    }
}
