using System.Globalization;

namespace ProbeGrid.Bench;

/// <summary>The parsed arguments of the benchmark program, or the error to report.</summary>
public sealed record CommandLine(
    IReadOnlyList<string> Names, bool Quick, bool List, bool Help, int? Runs, int? Threads, string? JsonPath, IReadOnlyList<string>? Families = null)
{
    public const string Usage = """
        usage: ProbeGrid.Bench [NAME...] [--quick] [--runs N] [--threads N] [--json FILE] [--list]
          NAME         benchmarks to run (default: all); see --list
          --quick      smoke run: small problems, one timed run
          --runs N     timed runs per case (default 3; quick 1)
          --threads N  libtorch intra-op threads (default: libtorch's choice, one per core)
          --json FILE  also write the results as JSON to FILE
          --families A,B  the torchvision benchmark: only these families (default: all)
          --list       list the benchmarks and exit
        """;

    /// <exception cref="ArgumentException">an unknown option or a bad value, with a message for the user.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine([], Quick: false, List: false, Help: false, Runs: null, Threads: null, JsonPath: null);
        var names = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Positive() =>
                int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                    ? n : throw new ArgumentException($"{args[i - 1]} needs a whole number of at least 1 (got '{args[i]}')");
            result = args[i] switch
            {
                "--quick" => result with { Quick = true },
                "--list" => result with { List = true },
                "-h" or "--help" => result with { Help = true },
                "--runs" => result with { Runs = Positive() },
                "--threads" => result with { Threads = Positive() },
                "--json" => result with { JsonPath = Value() },
                "--families" => result with { Families = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                var option when option.StartsWith('-') =>
                    throw new ArgumentException($"unknown option '{option}'; options are --quick, --runs N, --threads N, --json FILE, --families A,B, --list, --help"),
                var name => Add(names, name, result),
            };
        }
        return result with { Names = names };
    }

    private static CommandLine Add(List<string> names, string name, CommandLine result)
    {
        names.Add(name);
        return result;
    }
}
