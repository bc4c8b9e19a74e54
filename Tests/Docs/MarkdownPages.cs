using System.Text.RegularExpressions;

namespace ProbeGrid.Tests.Docs;

/// <summary>The repository's Markdown pages (README.md, docs/, bench/ and k8s/ READMEs), their relative links and
/// heading anchors, so the tests can hold the documentation to the files it names.</summary>
internal static partial class MarkdownPages
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every page, as a path relative to <paramref name="root"/> with '/' separators.</summary>
    public static IReadOnlyList<string> All(string root) =>
        new[] { "README.md", "bench/README.md", "k8s/README.md" }
            .Where(p => File.Exists(Path.Combine(root, p)))
            .Concat(Directory.Exists(Path.Combine(root, "docs"))
                ? Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                : [])
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The page's prose: fenced code blocks and inline code removed, since neither holds links.</summary>
    public static string Prose(string text) => InlineCode().Replace(FencedCode().Replace(text, ""), "");

    /// <summary>The targets of the page's links and images that point inside the repository (no scheme).</summary>
    public static IEnumerable<string> RelativeLinks(string text) =>
        LinkTarget().Matches(Prose(text)).Select(m => m.Groups[1].Value).Where(t => !Scheme().IsMatch(t));

    /// <summary>The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as hyphens,
    /// a repeated heading suffixed -1, -2, ...</summary>
    public static IReadOnlySet<string> Anchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedCode().Replace(text, "")))
        {
            var slug = Slug(heading.Groups[1].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }
        return anchors;
    }

    public static string Slug(string heading) =>
        NotSlugCharacter().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    /// <summary>Each link of each page that names a missing file, or a heading its target does not have.</summary>
    public static IReadOnlyList<string> BrokenLinks(string root)
    {
        var broken = new List<string>();
        foreach (var page in All(root))
        {
            var folder = Path.GetDirectoryName(Path.Combine(root, page))!;
            foreach (var link in RelativeLinks(File.ReadAllText(Path.Combine(root, page))))
            {
                var hash = link.IndexOf('#');
                var file = hash < 0 ? link : link[..hash];
                var target = file.Length == 0 ? Path.Combine(root, page) : Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(file)));
                if (!File.Exists(target) && !Directory.Exists(target)) broken.Add($"{page}: {link} (no such file)");
                else if (hash >= 0 && !Anchors(File.ReadAllText(target)).Contains(link[(hash + 1)..]))
                    broken.Add($"{page}: {link} (no such heading)");
            }
        }
        return broken;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ProbeGrid.sln"))) return dir.FullName;
        throw new InvalidOperationException("ProbeGrid.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^[ \t]*(```|~~~).*?^[ \t]*\1", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\p{Mn}\p{Pc}\- ]")]
    private static partial Regex NotSlugCharacter();
}
