using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;

namespace ProbeGrid.Web.Endpoints;

/// <summary>
/// The dashboard: whatever its build put in the static folder, served as it is (index.html at /). When the folder holds
/// nothing, / says so in plain text and how to build it, rather than serving a page that is not the dashboard.
/// </summary>
public static class DashboardFiles
{
    public static bool IsBuilt(string root) =>
        Directory.Exists(root) && Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Any(f => !Path.GetFileName(f).StartsWith('.'));

    public static void Use(WebApplication app, ApiSettings settings)
    {
        if (IsBuilt(settings.StaticRoot))
        {
            var files = new PhysicalFileProvider(Path.GetFullPath(settings.StaticRoot));
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            return;
        }
        app.MapGet("/", () => Results.Text(NotBuilt(settings.StaticRoot), "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound))
            .ExcludeFromDescription();
    }

    public static string NotBuilt(string root) =>
        $"""
        The ProbeGrid dashboard is not built: its folder {root} holds no files.
        Building ProbeGrid builds it (Web/Web.csproj bundles Web/dashboard into Web/wwwroot with Node.js and npm, which scripts/bootstrap
        installs; a build with -p:BuildDashboard=false leaves it out): see docs/web.md, section "Dashboard". Then start `probegrid serve`
        again, or start it with --static DIR naming a folder that holds a built dashboard (such as Web/wwwroot).
        The API works without it: GET /api/sweeps lists the sweeps, and /openapi/v1.json describes every endpoint.

        """;
}
