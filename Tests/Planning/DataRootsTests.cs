using ProbeGrid.Grains.Planning;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

public class DataRootsTests
{
    /// <summary>A temp folder with a data root "data" and a sibling "outside" the root.</summary>
    private sealed class Layout : IDisposable
    {
        private readonly TempFolder temp = new();

        public Layout()
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(Outside);
            Directory.CreateDirectory(Path.Combine(Root, "runs", "a"));
            Directory.CreateDirectory(Path.Combine(Outside, "secret"));
        }

        public string Root => temp.File("data");

        public string Outside => temp.File("outside");

        public string Parent => temp.Path;

        public DataRoots Roots => new([Root]);

        public void Dispose() => temp.Dispose();
    }

    [Fact]
    public void Roots_are_made_absolute_without_trailing_separators_and_deduplicated()
    {
        using var layout = new Layout();
        var roots = new DataRoots([layout.Root + "/", layout.Root, Path.Combine(layout.Root, "runs", "..")]);
        Assert.Equal([layout.Root], roots.Roots);
        Assert.Equal(layout.Root, roots.Describe());
        Assert.Throws<ArgumentException>(() => new DataRoots([]));
    }

    [Fact]
    public void Paths_inside_a_root_resolve_to_their_full_path()
    {
        using var layout = new Layout();
        var roots = layout.Roots;
        var run = Path.Combine(layout.Root, "runs", "a");

        Assert.Equal(run, roots.Resolve(run, "/nowhere"));
        Assert.Equal(run, roots.Resolve("runs/a", layout.Root)); // relative to the base directory
        Assert.Equal(run, roots.Resolve("data/runs/a", layout.Parent));
        Assert.Equal(layout.Root, roots.Resolve(layout.Root, "/"));
        Assert.Equal(run, roots.Resolve(Path.Combine(layout.Root, "runs", "b", "..", "a"), "/")); // ".." that stays inside
        var missing = Path.Combine(layout.Root, "runs", "not-yet");
        Assert.Equal(missing, roots.Resolve(missing, "/")); // existence is the discovery's business
        Assert.Equal(Path.Combine(layout.Root, "runs", "step-*.pt"), roots.Resolve("runs/step-*.pt", layout.Root));
    }

    [Fact]
    public void Paths_outside_every_root_are_refused_including_dot_dot_traversal_and_name_prefixes()
    {
        using var layout = new Layout();
        var roots = layout.Roots;

        Assert.Null(roots.Resolve(Path.Combine(layout.Outside, "secret"), "/"));
        Assert.Null(roots.Resolve("/etc", "/"));
        Assert.Null(roots.Resolve(layout.Parent, "/"));
        Assert.Null(roots.Resolve("../outside/secret", layout.Root));
        Assert.Null(roots.Resolve("runs/../../outside/secret", layout.Root));
        Assert.Null(roots.Resolve(Path.Combine(layout.Root, "..", "outside", "secret"), "/"));
        Assert.Null(roots.Resolve("secret", layout.Outside)); // a relative path is judged where it lands, not by its text
        Directory.CreateDirectory(layout.Root + "-evil");
        Assert.Null(roots.Resolve(layout.Root + "-evil", "/")); // shares the root's name as a prefix only
    }

    [Fact]
    public void A_path_under_any_of_several_roots_is_accepted()
    {
        using var layout = new Layout();
        var roots = new DataRoots([layout.Root, layout.Outside]);
        Assert.Equal(Path.Combine(layout.Outside, "secret"), roots.Resolve("../outside/secret", layout.Root));
        Assert.Null(roots.Resolve(layout.Parent, "/"));
    }

    [Fact]
    public void A_symbolic_link_inside_a_root_is_judged_by_its_target()
    {
        using var layout = new Layout();
        var roots = layout.Roots;
        var escape = Path.Combine(layout.Root, "escape");
        Directory.CreateSymbolicLink(escape, Path.Combine(layout.Outside, "secret"));
        var alias = Path.Combine(layout.Root, "alias");
        Directory.CreateSymbolicLink(alias, Path.Combine(layout.Root, "runs", "a"));
        var secretFile = Path.Combine(layout.Outside, "secret", "step-1.pt");
        File.WriteAllText(secretFile, "x");
        var fileLink = Path.Combine(layout.Root, "runs", "a", "step-1.pt");
        File.CreateSymbolicLink(fileLink, secretFile);
        var relativeLink = Path.Combine(layout.Root, "relative");
        Directory.CreateSymbolicLink(relativeLink, "../outside");

        Assert.Null(roots.Resolve(escape, "/"));
        Assert.Null(roots.Resolve("escape", layout.Root));
        Assert.Null(roots.Resolve(fileLink, "/"));
        Assert.Null(roots.Resolve(relativeLink, "/"));
        Assert.Equal(alias, roots.Resolve(alias, "/")); // a link that stays inside is fine (and keeps its own path)
    }

    [Fact]
    public void A_symbolic_link_in_the_middle_of_a_path_is_judged_by_its_target()
    {
        using var layout = new Layout();
        var roots = layout.Roots;
        var escape = Path.Combine(layout.Root, "escape");
        Directory.CreateSymbolicLink(escape, layout.Outside);
        var inside = Path.Combine(layout.Root, "inside");
        Directory.CreateSymbolicLink(inside, Path.Combine(layout.Root, "runs"));

        // data/escape -> outside, so data/escape/secret is outside/secret, whether or not the last segment exists.
        Assert.Null(roots.Resolve(Path.Combine(escape, "secret"), "/"));
        Assert.Null(roots.Resolve("escape/secret/step-*.pt", layout.Root));
        Assert.Null(roots.Resolve(Path.Combine(escape, "not-yet", "deeper"), "/"));
        Assert.Equal(Path.Combine(inside, "a"), roots.Resolve(Path.Combine(inside, "a"), "/"));
        Assert.Equal(Path.Combine(inside, "a", "not-yet"), roots.Resolve("inside/a/not-yet", layout.Root));
    }

    [Fact]
    public void A_chain_of_links_is_followed_to_its_end()
    {
        using var layout = new Layout();
        // data/first -> data/second -> ../outside (relative to data/, where second sits)
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "second"), "../outside");
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "first"), Path.Combine(layout.Root, "second"));
        // data/runs/up -> .. (data), which stays inside
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "runs", "up"), "..");

        Assert.Null(layout.Roots.Resolve("first/secret", layout.Root));
        Assert.Equal(Path.Combine(layout.Root, "runs", "up", "runs", "a"), layout.Roots.Resolve("runs/up/runs/a", layout.Root));
    }

    [Fact]
    public void A_link_that_leads_to_a_sibling_sharing_the_roots_name_as_a_prefix_is_refused()
    {
        using var layout = new Layout();
        var evil = layout.Root + "2";
        Directory.CreateDirectory(evil);
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "next-door"), evil);

        Assert.Null(layout.Roots.Resolve("next-door", layout.Root));
        Assert.Null(layout.Roots.Resolve("next-door/x", layout.Root));
    }

    [Fact]
    public void A_link_loop_is_refused()
    {
        using var layout = new Layout();
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "ping"), Path.Combine(layout.Root, "pong"));
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "pong"), Path.Combine(layout.Root, "ping"));

        Assert.Null(layout.Roots.Resolve("ping/x", layout.Root));
    }

    [Fact]
    public void A_root_named_through_a_link_holds_what_its_target_holds()
    {
        using var layout = new Layout();
        var alias = Path.Combine(layout.Parent, "data-alias");
        Directory.CreateSymbolicLink(alias, layout.Root);
        var roots = new DataRoots([alias]);
        // data/escape -> outside: reached through the aliased root, it still leads outside.
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "escape"), layout.Outside);

        Assert.Equal(Path.Combine(alias, "runs", "a"), roots.Resolve("runs/a", alias));
        Assert.Null(roots.Resolve("escape/secret", alias));
        Assert.Null(roots.Resolve("../outside", alias));
    }
}
