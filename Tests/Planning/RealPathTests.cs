using ProbeGrid.Grains.Planning;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>Symbolic links are resolved segment by segment, as POSIX realpath does.</summary>
public class RealPathTests
{
    [Fact]
    public void A_path_without_links_is_its_full_path_whether_or_not_it_exists()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("a"));

        Assert.Equal(temp.File("a"), RealPath.Of(temp.File("a")));
        Assert.Equal(Path.Combine(temp.Path, "a", "b", "c"), RealPath.Of(Path.Combine(temp.Path, "a", "b", "c")));
        Assert.Equal(temp.File("a"), RealPath.Of(Path.Combine(temp.Path, "a", "b", "..")));
        Assert.Equal("/", RealPath.Of("/"));
    }

    [Fact]
    public void Links_anywhere_along_the_path_are_replaced_by_their_targets()
    {
        using var temp = new TempFolder();
        var target = Path.Combine(temp.Path, "x", "y");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "f"), "f");
        Directory.CreateSymbolicLink(temp.File("abs"), target);            // absolute target
        Directory.CreateSymbolicLink(temp.File("rel"), "x/y");             // relative to the link's folder
        Directory.CreateSymbolicLink(Path.Combine(target, "up"), "../..");  // ".." climbs from the link's real folder
        File.CreateSymbolicLink(temp.File("file-link"), Path.Combine("abs", "f"));

        Assert.Equal(Path.Combine(target, "f"), RealPath.Of(Path.Combine(temp.Path, "abs", "f")));
        Assert.Equal(Path.Combine(target, "f"), RealPath.Of(Path.Combine(temp.Path, "rel", "f")));
        Assert.Equal(Path.Combine(target, "new", "g"), RealPath.Of(Path.Combine(temp.Path, "rel", "new", "g")));
        Assert.Equal(temp.Path, RealPath.Of(Path.Combine(temp.Path, "abs", "up")));
        Assert.Equal(Path.Combine(target, "f"), RealPath.Of(Path.Combine(temp.Path, "abs", "up", "rel", "f")));
        Assert.Equal(Path.Combine(target, "f"), RealPath.Of(temp.File("file-link")));
    }

    [Fact]
    public void A_dangling_link_resolves_to_where_it_points()
    {
        using var temp = new TempFolder();
        Directory.CreateSymbolicLink(temp.File("dangling"), "/nowhere/at/all");

        Assert.Equal("/nowhere/at/all/x", RealPath.Of(Path.Combine(temp.Path, "dangling", "x")));
    }

    [Fact]
    public void A_loop_gives_null()
    {
        using var temp = new TempFolder();
        Directory.CreateSymbolicLink(temp.File("self"), temp.File("self"));

        Assert.Null(RealPath.Of(temp.File("self")));
        Assert.Null(RealPath.Of(Path.Combine(temp.Path, "self", "x")));
    }
}
