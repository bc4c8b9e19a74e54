using System.Text.RegularExpressions;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// How a message names a tensor read from a file: by its name only when the name is a parameter path
/// (identifiers joined by dots, as every network writes them), else by its place in the file. The bytes of
/// a file that is not a checkpoint must never reach a message: a checkpoint path may point at anyone's file.
/// </summary>
internal static partial class TensorName
{
    private const int MaxShownLength = 200;

    /// <summary><c>'layer1.weight'</c>, or <c>#3 (whose name is not a parameter path)</c>.</summary>
    public static string Describe(string name, int index) =>
        IsParameterPath(name) ? $"'{name}'" : $"#{index + 1} (whose name is not a parameter path, so it is not shown)";

    public static bool IsParameterPath(string name) => name.Length <= MaxShownLength && ParameterPath().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9_]+([.:\-][A-Za-z0-9_]+)*$")]
    private static partial Regex ParameterPath();
}
