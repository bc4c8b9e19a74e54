namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>A sweep spec that cannot run; <see cref="Problems"/> lists every problem found, each naming the field and the fix.</summary>
public sealed class SpecException : Exception
{
    public SpecException(IReadOnlyList<string> problems)
        : base("The sweep spec has " + problems.Count + " problem(s):" + Environment.NewLine
               + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
    {
        Problems = problems.ToArray();
    }

    public string[] Problems { get; }
}
