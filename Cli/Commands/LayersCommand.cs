using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Grains.Models;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid layers SPEC|ARCHITECTURE</c>: every tap a sweep may list in "layers", in forward order, with its shape
/// for one sample (one forward pass of a zero sample), so a user can write "layers" without reading the model's code.
/// </summary>
public static class LayersCommand
{
    private static readonly Argument<string> Target = new("spec-or-architecture")
    {
        Description = "a sweep spec (.json: its model on its data set) or an architecture name (" + string.Join(", ", ModelZoo.Architectures) + ")",
    };

    private static readonly Option<string[]> Param = new("--param") { Description = "architecture parameter name=value (repeatable; with an architecture name)" };
    private static readonly Option<string> Input = new("--input") { Description = "the sample shape, e.g. 3x224x224 (with an architecture name)" };
    private static readonly Option<int> Classes = new("--classes") { Description = "class count (with an architecture name)", DefaultValueFactory = _ => 10 };

    public static Command Build()
    {
        var command = new Command("layers", "List the taps of a network (what a spec's \"layers\" may name) with their shapes");
        command.Arguments.Add(Target);
        command.Options.Add(Param);
        command.Options.Add(Input);
        command.Options.Add(Classes);
        command.SetAction((result, ct) => Task.Run(() => Execute(result), ct));
        return command;
    }

    private static int Execute(ParseResult result)
    {
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(GlobalOptions.StateFolder(result), "logs"));
        var logger = loggers.CreateLogger("probegrid.layers");
        var target = result.GetValue(Target)!;
        try
        {
            var architectures = ModelCatalog.BuiltIn.Architectures;
            string architecture;
            IReadOnlyDictionary<string, string> parameters;
            long[] sampleShape;
            int classCount;
            long[]? targetShape = null;
            if (target.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(target))
            {
                var spec = SweepSpecReader.ReadFile(target);
                DatasetSpec dataset;
                (architecture, parameters, dataset) = new SweepPlanner(GlobalOptions.DataRoots(result), Directory.GetCurrentDirectory()).Network(spec);
                (sampleShape, classCount, targetShape) = (ModelCatalog.BuiltIn.SampleShape(dataset), ModelCatalog.BuiltIn.ClassCount(dataset), ModelCatalog.BuiltIn.TargetShape(dataset));
            }
            else
            {
                architecture = target;
                parameters = KeyValueParser.Parse(result.GetValue(Param), "--param");
                var input = result.GetValue(Input);
                if (input is null)
                {
                    logger.LogError("--input is required with an architecture name: the sample shape, e.g. --input 3x224x224 (or give a sweep spec instead)");
                    return ExitCodes.BadInput;
                }
                sampleShape = ParseShape(input);
                classCount = result.GetValue(Classes);
            }
            Print(architectures, architecture, parameters, sampleShape, classCount, targetShape);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is SpecException or ArgumentException or IOException)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }

    private static void Print(ArchitectureRegistry architectures, string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape,
        int classCount, long[]? targetShape)
    {
        var taps = architectures.TapNames(architecture, parameters);
        var defaults = architectures.DefaultTaps(architecture, parameters).ToHashSet(StringComparer.Ordinal);
        var shapes = architectures.TapShapes(architecture, parameters, sampleShape, classCount, targetShape);
        var starts = architectures.ForwardFromTaps(architecture, parameters, sampleShape, classCount, targetShape).ToHashSet(StringComparer.Ordinal);
        var width = Math.Max(4, taps.Max(t => t.Length));
        Console.Out.WriteLine($"{architecture} on [{string.Join(", ", sampleShape)}] samples, {taps.Count} taps " +
                              "(default: analysed when a spec lists no layers; start: complexity can run the network from it upward)");
        Console.Out.WriteLine($"{"tap".PadRight(width)}  {"shape",-20} {"values",12}  default  start");
        foreach (var tap in taps)
        {
            var shape = shapes.TryGetValue(tap, out var s) ? s : null;
            var shapeText = shape is null ? "(not run)" : $"[{string.Join(", ", shape)}]";
            var values = shape is null ? "" : shape.Aggregate(1L, (a, b) => a * b).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            Console.Out.WriteLine($"{tap.PadRight(width)}  {shapeText,-20} {values,12}  {(defaults.Contains(tap) ? "yes" : ""),-7}  {(starts.Contains(tap) ? "yes" : "")}");
        }
    }

    /// <exception cref="ArgumentException">not a shape such as 3x224x224.</exception>
    internal static long[] ParseShape(string text)
    {
        var parts = text.Split(['x', 'X', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 1)
                throw new ArgumentException($"--input '{text}' is not a sample shape: give positive sizes separated by x, e.g. 3x224x224 or 784");
        if (shape.Length == 0)
            throw new ArgumentException($"--input '{text}' is not a sample shape: give positive sizes separated by x, e.g. 3x224x224 or 784");
        return shape;
    }
}
