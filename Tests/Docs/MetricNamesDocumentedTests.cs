using System.Reflection;
using System.Text.RegularExpressions;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Tests.Docs;

/// <summary>Every stable metric name in <see cref="MetricNames"/> is documented on a page (an analysis's metrics
/// table), so a new metric cannot land without its line of documentation.</summary>
public sealed partial class MetricNamesDocumentedTests
{
    [Fact]
    public void Every_metric_name_appears_on_a_page()
    {
        var documented = MarkdownPages.All(MarkdownPages.Root)
            .SelectMany(page => DocumentedNames(File.ReadAllText(Path.Combine(MarkdownPages.Root, page))))
            .ToHashSet(StringComparer.Ordinal);
        var names = typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Contains("probe.test_error", names);
        var undocumented = names.Where(name => !documented.Contains(name)).ToList();
        Assert.Empty(undocumented);
    }

    [Fact]
    public void Shorthand_and_per_order_names_are_read_as_full_names()
    {
        var names = DocumentedNames("| `earlyexit.accuracy`, `.cf1`; `earlyexit.s2` | x |\n| `complexity.significance.l<l>` | y |\n`.map` alone\n");
        Assert.Equal(new[] { "earlyexit.accuracy", "earlyexit.cf1", "earlyexit.s2", "complexity.significance" }, names);
    }

    /// <summary>The metric names in a page's code spans: `a.b`, `a.b.l&lt;l&gt;` (per order) and, after a full name
    /// on the same line, `.c` as shorthand for `a.c`.</summary>
    private static List<string> DocumentedNames(string text)
    {
        var names = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            string? family = null;
            foreach (Match span in CodeSpan().Matches(line))
            {
                var token = PerOrderSuffix().Replace(span.Groups[1].Value, "");
                if (token.StartsWith('.') && family is not null && MetricName().IsMatch(family + token)) names.Add(family + token);
                else if (MetricName().IsMatch(token)) { names.Add(token); family = token[..token.IndexOf('.')]; }
            }
        }
        return names;
    }

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\.l<[a-z]+>$")]
    private static partial Regex PerOrderSuffix();

    [GeneratedRegex(@"^[a-z]+(\.[a-z0-9_]+)+$")]
    private static partial Regex MetricName();
}
