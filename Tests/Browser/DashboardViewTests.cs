using System.Text.Json;
using OpenQA.Selenium;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Web;

namespace ProbeGrid.Tests.Browser;

/// <summary>
/// The dashboard in chromium over the web grid's finished sweeps: what each view plots (read back from window.__probegrid)
/// is the API's numbers exactly; the video's slider shows each checkpoint's values and play advances it; maps are drawn beside
/// their inputs at their size; a bad request shows the API's problem details; off loopback the page asks for the token.
/// With PROBEGRID_WRITE_FIGURES=1 it writes each view's screenshot into docs/figures.
/// </summary>
[Collection(WebGridCollection.Name)]
public class DashboardViewTests(WebGrid web, DashboardSite site) : IClassFixture<DashboardSite>
{
    private Chromium Browser => site.Browser;

    [Fact]
    public async Task The_video_slider_plots_each_checkpoints_values_and_play_advances_the_frame()
    {
        var url = await site.StartAsync(web.Settings);
        var curve = await ApiJson(url, $"/api/sweeps/{WebGrid.Probes}/curves?metric={MetricNames.ProbeTestError}&along=layer");
        var frames = curve.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(3, frames.Count);

        await Browser.OpenAsync(url, $"#/sweeps/{WebGrid.Probes}?view=video&metric={MetricNames.ProbeTestError}");
        var slider = Browser.Find("video-slider")!;
        Assert.Equal("2", slider.GetAttribute("max"));
        slider.SendKeys(Keys.Home); // the first checkpoint, as a user moves it
        await AssertFrame(0, frames);
        slider.SendKeys(Keys.ArrowRight + Keys.ArrowRight);
        await AssertFrame(2, frames);
        slider.SendKeys(Keys.ArrowLeft);
        await AssertFrame(1, frames);
        // The axes stay put over the video: every frame's values lie inside them.
        var y = Browser.Json("window.__probegrid.video.yRange").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.All(frames.SelectMany(f => f.GetProperty("points").EnumerateArray()), p => Assert.InRange(p.GetProperty("mean").GetDouble(), y[0], y[1]));
        Browser.Figure("video");

        slider.SendKeys(Keys.Home);
        await AssertFrame(0, frames);
        Browser.Find("video-play")!.Click();
        await Browser.Until(() => Browser.Json("window.__probegrid.video.frame").GetInt32() > 0, "the video advancing after play");
        Assert.Contains("pause", Browser.Find("video-play")!.Text);
        Assert.Matches(@"frame [23] of 3", Browser.Find("video-frame-label")!.Text);
    }

    [Fact]
    public async Task Picking_a_metric_plots_its_curves_and_heatmap_as_the_API_gives_them()
    {
        var url = await site.StartAsync(web.Settings);
        await Browser.OpenAsync(url, $"#/sweeps/{WebGrid.Probes}?view=curves");
        Assert.Equal(MetricNames.ProbeTestError, Browser.Json("window.__probegrid.curves.metric").GetString());

        // Another metric, picked in the page: the lines are the API's curve of it, one per checkpoint.
        var metric = MetricNames.ProbeTrainError;
        Browser.Driver.FindElement(By.CssSelector($"[data-testid='metric-picker'] option[value='{metric}']")).Click();
        await Browser.Until(() => Browser.Json("window.__probegrid.curves.metric").GetString() == metric, $"the curves of {metric}");
        await Browser.ViewSettledAsync(metric);
        Assert.Contains($"metric={metric}", Browser.Driver.Url);
        var curve = await ApiJson(url, $"/api/sweeps/{WebGrid.Probes}/curves?metric={metric}&along=layer");
        AssertSeriesEqual(curve, Browser.Json("window.__probegrid.curves"));
        Browser.Figure("curves");

        Browser.Driver.FindElement(By.CssSelector("[data-testid='along-picker'] option[value='checkpoint']")).Click();
        await Browser.Until(() => Browser.Json("window.__probegrid.curves.along").GetString() == "checkpoint", "the curves along checkpoints");
        AssertSeriesEqual(await ApiJson(url, $"/api/sweeps/{WebGrid.Probes}/curves?metric={metric}&along=checkpoint"), Browser.Json("window.__probegrid.curves"));

        await Browser.ClickAsync("tab-heatmap");
        await Browser.Until(() => Browser.Json("window.__probegrid.heatmap?.metric").ValueKind == JsonValueKind.String
                                  && Browser.Json("window.__probegrid.heatmap.metric").GetString() == metric, "the heatmap");
        var heatmap = await ApiJson(url, $"/api/sweeps/{WebGrid.Probes}/heatmap?metric={metric}");
        var shown = Browser.Json("window.__probegrid.heatmap");
        Assert.Equal(Strings(heatmap.GetProperty("checkpoints")), Strings(shown.GetProperty("checkpoints")));
        Assert.Equal(Strings(heatmap.GetProperty("layers")), Strings(shown.GetProperty("layers")));
        Assert.Equal(Rows(heatmap.GetProperty("values")), Rows(shown.GetProperty("values")));
        var canvas = Browser.Find("heatmap-canvas")!;
        Assert.True(Distinct(canvas) > 3, "the heatmap canvas is blank");
        Browser.Figure("heatmap");

        // Offline: everything the page loaded came from the host that serves it (the bundle, the API), nothing from elsewhere.
        var loaded = Strings(Browser.Json("performance.getEntriesByType('resource').map(e => e.name).concat([location.href])")).ToList();
        Assert.Contains(loaded, u => u!.EndsWith("/dashboard.js", StringComparison.Ordinal));
        Assert.All(loaded, u => Assert.StartsWith(url + "/", u));
    }

    [Fact]
    public async Task A_discarding_sweeps_maps_are_drawn_beside_their_inputs_at_their_size()
    {
        var url = await site.StartAsync(web.Settings);
        var maps = (await ApiJson(url, $"/api/sweeps/{WebGrid.Maps}/maps?kind=sid")).EnumerateArray().ToList();
        var sid = maps.Where(m => m.GetProperty("kind").GetString() == "sid").ToList();
        Assert.NotEmpty(sid);

        await Browser.OpenAsync(url, $"#/sweeps/{WebGrid.Maps}?view=maps");
        var inputs = Browser.Driver.FindElements(By.CssSelector("[data-testid='map-canvas-input']"));
        var drawn = Browser.Driver.FindElements(By.CssSelector("[data-testid='map-canvas-sid']"));
        var last = sid.MaxBy(m => m.GetProperty("step").GetInt64()).GetProperty("checkpoint").GetString();
        var expected = sid.Where(m => m.GetProperty("checkpoint").GetString() == last).ToList();
        Assert.True(expected.Count == drawn.Count, $"{expected.Count} SID maps at {last}, {drawn.Count} drawn; the page read:\n{Browser.Driver.FindElement(By.TagName("body")).Text}");
        Assert.Equal(expected.Select(m => m.GetProperty("sample").GetInt32()).Distinct().Count(), inputs.Count);
        // Maps are large: the page asked for the shown checkpoint's only.
        var mapRequests = Browser.Json($"performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/sweeps/{WebGrid.Maps}/maps'))")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.NotEmpty(mapRequests);
        Assert.All(mapRequests, r => Assert.EndsWith($"/maps?checkpoint={Uri.EscapeDataString(last!)}", r));
        foreach (var canvas in inputs.Concat(drawn))
        {
            // Each map pixel is a whole number of canvas pixels, and the canvas shows a picture, not one colour.
            var (width, height) = (int.Parse(canvas.GetAttribute("data-width")!), int.Parse(canvas.GetAttribute("data-height")!));
            var scale = int.Parse(canvas.GetAttribute("width")!) / width;
            Assert.True(scale >= 1 && int.Parse(canvas.GetAttribute("width")!) == width * scale && int.Parse(canvas.GetAttribute("height")!) == height * scale,
                $"canvas {canvas.GetAttribute("width")}x{canvas.GetAttribute("height")} for a {width}x{height} map");
            Assert.True(Distinct(canvas) > 2, $"the {canvas.GetAttribute("data-testid")} canvas of {canvas.GetAttribute("data-layer")} is blank");
        }
        var first = expected.OrderBy(m => m.GetProperty("layerIndex").GetInt32()).First();
        Assert.Equal(first.GetProperty("width").GetInt32(), int.Parse(drawn[0].GetAttribute("data-width")!));
        Assert.Equal(first.GetProperty("layer").GetString(), drawn[0].GetAttribute("data-layer"));
        Browser.Figure("maps");

        // A probe sweep has no maps: the page says so, with the API's reason.
        await Browser.OpenAsync(url, $"#/sweeps/{WebGrid.Probes}?view=maps");
        Assert.Contains("discarding", Browser.Find("no-maps")!.Text);
    }

    [Fact]
    public async Task A_complexity_sweeps_spectra_are_the_APIs()
    {
        var url = await site.StartAsync(web.Settings);
        await Browser.OpenAsync(url, $"#/sweeps/{WebGrid.Spectra}?view=spectra");
        AssertSeriesEqual(await ApiJson(url, $"/api/spectra?sweep={WebGrid.Spectra}"), Browser.Json("window.__probegrid.spectra"));
        Browser.Figure("spectra");

        await Browser.OpenAsync(url, $"#/sweeps/{WebGrid.Probes}?view=spectra");
        Assert.Contains("no complexity spectra", Browser.Find("no-spectra")!.Text);
    }

    [Fact]
    public async Task A_bad_request_shows_the_problem_details_and_off_loopback_the_page_asks_for_the_token()
    {
        var url = await site.StartAsync(web.Settings);
        await Browser.OpenAsync(url, $"#/sweeps/{WebGrid.Probes}?view=curves&metric=probe.no_such");
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var answer = await http.GetAsync($"/api/sweeps/{WebGrid.Probes}/curves?metric=probe.no_such&along=layer");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(problem.GetProperty("title").GetString(), Browser.Find("problem-title")!.Text);
        Assert.Equal(Strings(problem.GetProperty("problems")), Browser.Driver.FindElements(By.CssSelector("[data-testid='problem-list'] li")).Select(li => li.Text));

        await Browser.OpenAsync(url, "#/sweeps/no-such-sweep");
        Assert.Contains("no-such-sweep", Browser.Find("problem")!.Text);

        // Off loopback every request needs the token: the page shows the 401's message, asks, and with it shows the sweeps.
        var remote = await site.StartAsync(web.Settings with { OnLoopback = false });
        Browser.Driver.Navigate().GoToUrl(remote + "/#/");
        await Browser.Until(() => Browser.Find("token-input"), "the page asking for the token after a 401");
        Assert.Equal("401", Browser.Find("problem")!.GetAttribute("data-status"));
        Assert.Contains("token", Browser.Find("problem")!.Text, StringComparison.OrdinalIgnoreCase);
        Browser.Driver.ExecuteScript("document.querySelector(\"[data-testid='token-input']\").dataset.before = 'yes';");
        Browser.Find("token-input")!.SendKeys("wrong-token" + Keys.Enter);
        // The page tries again with it and is refused again: a new form, no sweeps.
        await Browser.Until(() => Browser.Find("token-input") is { } input && input.GetAttribute("data-before") is null && Browser.Find("sweep-list") is null,
            "the wrong token refused");
        Assert.Equal("401", Browser.Find("problem")!.GetAttribute("data-status"));
        Browser.Find("token-input")!.Clear();
        Browser.Find("token-input")!.SendKeys(WebGrid.Token + Keys.Enter);
        await Browser.Until(() => Browser.Find($"sweep-row-{WebGrid.Probes}"), "the sweeps list after the token");
        Browser.Driver.ExecuteScript("sessionStorage.clear();");
    }

    private async Task AssertFrame(int frame, List<JsonElement> frames)
    {
        var series = frames[frame];
        // Drawn: the earlier checkpoints faint, no later one (the bold line is the current one).
        var earlier = frames.Take(frame).Select(f => f.GetProperty("name").GetString()).ToList();
        var faint = new List<string?>();
        try
        {
            await Browser.Until(() => (faint = Strings(Browser.Json("window.__probegrid.video.faint")).ToList()).SequenceEqual(earlier) ? "yes" : null,
                $"frame {frame} drawn with [{string.Join(", ", earlier)}] faint", TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"frame {frame}: drawn faint [{string.Join(", ", faint)}], expected [{string.Join(", ", earlier)}]");
        }
        var shown = Browser.Json("window.__probegrid.video");
        // The bold line drawn: the checkpoint's (layer index, mean) pairs as the API gives them.
        Assert.Equal(series.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("x").GetDouble(), p.GetProperty("mean").GetDouble())),
            shown.GetProperty("drawn").EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())));
        Assert.Equal(frame, shown.GetProperty("frame").GetInt32());
        Assert.Equal(series.GetProperty("name").GetString(), shown.GetProperty("checkpoint").GetString());
        Assert.Equal(series.GetProperty("name").GetString(), Browser.Find("video-chart")!.GetAttribute("data-checkpoint"));
        var points = series.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(points.Select(p => p.GetProperty("x").GetDouble()), shown.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(points.Select(p => p.GetProperty("label").GetString()), Strings(shown.GetProperty("labels")));
        Assert.Equal(points.Select(p => p.GetProperty("mean").GetDouble()), shown.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Contains($"frame={(frame == 2 ? "last" : frame)}", Browser.Driver.Url);
    }

    /// <summary>A curve's series as the API gives them equal the lines the page plotted: names, x and y, exactly.</summary>
    private static void AssertSeriesEqual(JsonElement curve, JsonElement plotted)
    {
        var api = curve.GetProperty("series").EnumerateArray().ToList();
        var shown = plotted.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(api.Select(s => s.GetProperty("name").GetString()), shown.Select(s => s.GetProperty("name").GetString()));
        for (var i = 0; i < api.Count; i++)
        {
            var points = api[i].GetProperty("points").EnumerateArray().ToList();
            Assert.Equal(points.Select(p => p.GetProperty("x").GetDouble()), shown[i].GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(points.Select(p => p.GetProperty("mean").GetDouble()), shown[i].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        }
    }

    /// <summary>How many distinct colours the canvas holds (1: blank).</summary>
    private int Distinct(IWebElement canvas) => Convert.ToInt32(Browser.Driver.ExecuteScript("""
        const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, seen = new Set();
        for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
        """, canvas));

    private static async Task<JsonElement> ApiJson(string url, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(v => v.GetString()).ToList();

    private static List<List<double?>> Rows(JsonElement values) =>
        values.EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToList()).ToList();
}
