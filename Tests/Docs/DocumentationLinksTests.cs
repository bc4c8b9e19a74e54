namespace ProbeGrid.Tests.Docs;

/// <summary>The README is a map of docs/: every relative link resolves, to a file and to a heading in it,
/// every docs page is linked from the README, and every figure is shown somewhere.</summary>
public sealed class DocumentationLinksTests
{
    [Fact]
    public void Every_relative_link_resolves_to_a_file_and_heading()
    {
        Assert.Contains("docs/grid.md", MarkdownPages.All(MarkdownPages.Root));
        Assert.Empty(MarkdownPages.BrokenLinks(MarkdownPages.Root));
    }

    [Fact]
    public void Every_docs_page_is_linked_from_the_README()
    {
        var readmeLinks = MarkdownPages.RelativeLinks(File.ReadAllText(Path.Combine(MarkdownPages.Root, "README.md")))
            .Select(link => link.Split('#')[0]).ToHashSet(StringComparer.Ordinal);
        var unlinked = MarkdownPages.All(MarkdownPages.Root)
            .Where(p => p.StartsWith("docs/", StringComparison.Ordinal) && !readmeLinks.Contains(p)).ToList();
        Assert.Empty(unlinked);
    }

    [Fact]
    public void Every_figure_is_shown_on_a_page()
    {
        var links = MarkdownPages.All(MarkdownPages.Root)
            .SelectMany(page => MarkdownPages.RelativeLinks(File.ReadAllText(Path.Combine(MarkdownPages.Root, page))))
            .Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var unshown = Directory.GetFiles(Path.Combine(MarkdownPages.Root, "docs", "figures")).Select(Path.GetFileName)
            .Where(f => !links.Contains(f)).ToList();
        Assert.Empty(unshown);
    }

    [Theory]
    [InlineData("The `probegrid` command", "the-probegrid-command")]
    [InlineData("The `probe` analysis (`\"kind\": \"probe\"`)", "the-probe-analysis-kind-probe")]
    [InlineData("Task-n: task complexity vs feature complexity", "task-n-task-complexity-vs-feature-complexity")]
    [InlineData("Fig. 5 at the paper's scale", "fig-5-at-the-papers-scale")]
    public void Headings_get_GitHubs_anchors(string heading, string anchor) =>
        Assert.Equal(anchor, MarkdownPages.Slug(heading));

    [Fact]
    public void A_missing_file_or_heading_is_reported_and_code_is_not_read_as_links()
    {
        var root = Directory.CreateTempSubdirectory("probegrid-docs").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "docs"));
            File.WriteAllText(Path.Combine(root, "docs", "a.md"), "# A page\n\n## Two words\n");
            File.WriteAllText(Path.Combine(root, "README.md"),
                "# Readme\n[ok](docs/a.md#two-words) [self](#readme) [web](https://example.org/x)\n" +
                "[gone](docs/b.md) [no heading](docs/a.md#three-words)\n`[code](docs/c.md)`\n```\n[block](docs/d.md)\n```\n");
            Assert.Equal(new[] { "README.md: docs/b.md (no such file)", "README.md: docs/a.md#three-words (no such heading)" },
                MarkdownPages.BrokenLinks(root));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
