using Microsoft.AspNetCore.Http;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Access;

/// <summary>
/// Who may do what: a request that changes state (any method but GET, HEAD and OPTIONS) needs the bearer token; on a
/// host that listens beyond loopback every request to the API (/api) and the OpenAPI document (/openapi) needs it. The
/// dashboard's own files are open everywhere: they are the same code for everyone and hold no data, and a browser cannot
/// send a header when it opens a page; the page then asks for the token when the API answers 401.
/// A missing or wrong token gets 401 problem details saying where the token is.
/// </summary>
public sealed class TokenRule(RequestDelegate next, ApiSettings settings)
{
    public Task InvokeAsync(HttpContext context)
    {
        var reads = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method);
        if (reads && (settings.OnLoopback || IsDashboardFile(context.Request.Path))) return next(context);
        var header = context.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (ApiToken.Matches(settings.Token, given)) return next(context);

        context.Response.Headers.WWWAuthenticate = "Bearer";
        var why = reads ? "this host listens beyond loopback, so every request needs the API token" : "a request that changes state needs the API token";
        var cause = given is null ? (header.Length == 0 ? "no Authorization header was sent" : "the Authorization header is not 'Bearer TOKEN'") : "the token sent is not this host's";
        return ApiProblems.Write(context, StatusCodes.Status401Unauthorized, "A bearer token is required",
            $"{why}, and {cause}. Send 'Authorization: Bearer TOKEN' with the token from {settings.TokenFile} " +
            "(readable by the user who runs `probegrid serve`, which prints it at start).");
    }

    /// <summary>Anything outside the API and its OpenAPI document is the dashboard's static files (or a 404).</summary>
    public static bool IsDashboardFile(PathString path) => !path.StartsWithSegments("/api") && !path.StartsWithSegments("/openapi");
}
