using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Grid;
using ProbeGrid.Tests.Web;

namespace ProbeGrid.Tests.Browser;

/// <summary>
/// The dashboard open in chromium while a sweep runs: a sweep that follows a training run takes in checkpoints as they land,
/// and the page, never reloaded, shows its progress moving in the list, its video growing a frame per checkpoint, and the
/// failures of a checkpoint with NaN in a weight with their causes as the API gives them.
/// </summary>
[Collection(WebGridCollection.Name)]
public class LiveDashboardTests(WebGrid web, DashboardSite site) : IClassFixture<DashboardSite>
{
    private Chromium Browser => site.Browser;

    [Fact]
    public async Task A_running_sweep_moves_in_the_list_grows_its_video_and_shows_its_failures_without_a_reload()
    {
        var url = await site.StartAsync(web.Settings);
        var run = Path.Combine(web.Root, "run");
        var live = Path.Combine(web.Root, "live-dash-" + Guid.NewGuid().ToString("N")[..6]);
        var id = Path.GetFileName(live);
        Directory.CreateDirectory(live);
        File.Copy(Path.Combine(run, "model.json"), Path.Combine(live, "model.json"));
        File.Copy(Path.Combine(run, GridTestRun.CheckpointName(0) + ".pt"), Path.Combine(live, GridTestRun.CheckpointName(0) + ".pt"));
        // layer3's probe meets the NaN put into hidden.2.weight below; layer1's does not.
        var spec = GridTestRun.Spec(live, maxEpochs: 3, train: 200) with { Layers = ["layer1", "layer3"], Follow = new FollowSpec(ThinningSpec.Every, 0, 0.5, 0.2) };
        Assert.True((await web.Client.SubmitAsync(spec, id, web.Root)).Accepted);

        await Browser.OpenAsync(url, "#/");
        Browser.Driver.ExecuteScript("window.__sameDocument = true;");
        await Browser.Until(() => Done(id) >= 2 ? "yes" : null, $"{id}'s first checkpoint done in the list", TimeSpan.FromSeconds(60));
        var before = Done(id);
        Land(run, live, 1);
        await Browser.Until(() => Done(id) > before ? "yes" : null, $"{id}'s progress moving past {before} units", TimeSpan.FromSeconds(60));
        // (Rows are drawn again on each status: a row found may go stale before it is read, so Until reads and clicks again.)
        await Browser.Until(() => Browser.Find($"sweep-row-{id}")!.FindElement(By.CssSelector("[data-testid='follow']")).Text.Contains("following") ? "yes" : null,
            $"{id} following in the list");
        Browser.Figure("list");

        // Its video, open while the next checkpoint (NaN in a weight) lands and is analysed: a third frame appears.
        await Browser.Until(() =>
        {
            Browser.Find($"sweep-row-{id}")!.FindElement(By.CssSelector("[data-testid='sweep-link']")).Click();
            return "clicked";
        }, $"{id}'s link");
        await Browser.ClickAsync("tab-video");
        await Browser.Until(() => Frames() == 2 ? "yes" : null, "the video of two checkpoints", TimeSpan.FromSeconds(60));
        var poisoned = Path.Combine(web.Root, id + "-nan.pt");
        File.Copy(Path.Combine(run, GridTestRun.CheckpointName(2) + ".pt"), poisoned);
        GridTestRun.PutNaN(poisoned, "hidden.2.weight", 5);
        File.Move(poisoned, Path.Combine(live, GridTestRun.CheckpointName(2) + ".pt"));
        await Browser.Until(() => Frames() == 3 ? "yes" : null, "the video's third frame, live", TimeSpan.FromSeconds(60));
        Assert.Equal(GridTestRun.CheckpointName(2), Browser.Json("window.__probegrid.video.checkpoint").GetString());

        // Stopped: the header says completed; the failures view shows the failed unit's cause as the API gives it.
        Assert.True((await web.Api.SendAsync(WebGrid.Authorized(HttpMethod.Post, $"/api/sweeps/{id}/stop"))).IsSuccessStatusCode);
        await Browser.Until(() => Browser.Find("phase")?.Text == "completed" ? "yes" : null, "the sweep completed in its header", TimeSpan.FromSeconds(60));
        await Browser.ClickAsync("tab-failures");
        await Browser.Until(() => Browser.Find("failures-table"), "the failures table");
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var failures = await http.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}/failures");
        Assert.Equal(["layer3"], failures.EnumerateArray().Select(f => f.GetProperty("key").GetProperty("layer").GetString()));
        var causes = Browser.Texts("[data-testid='failure-cause']");
        Assert.Equal(failures.EnumerateArray().Select(f => f.GetProperty("cause").GetString()), causes);
        Assert.Contains("hidden.2.weight holds NaN", causes[0]);
        Browser.Figure("failures");
        Assert.True(Browser.Driver.ExecuteScript("return window.__sameDocument === true;") is true, "the page was reloaded: live updates must come without one");
    }

    /// <summary>The units done the list's progress bar shows for the sweep (-1 before its row appears), read in the page in one go.</summary>
    private int Done(string id) =>
        Browser.Json($"Number(document.querySelector(\"[data-testid='sweep-row-{id}'] [data-testid='progress']\")?.dataset.done ?? -1)").GetInt32();

    private int Frames() => Browser.Json("window.__probegrid?.video?.frames ?? 0").GetInt32();

    /// <summary>The i-th checkpoint lands in the followed folder whole (written beside it, then moved in).</summary>
    private static void Land(string run, string live, int i)
    {
        var landing = Path.Combine(live, "landing.tmp");
        File.Copy(Path.Combine(run, GridTestRun.CheckpointName(i) + ".pt"), landing);
        File.Move(landing, Path.Combine(live, GridTestRun.CheckpointName(i) + ".pt"));
    }
}
