using Microsoft.AspNetCore.Http;

namespace ProbeGrid.Web.Responses;

/// <summary>
/// RFC 7807 problem details, each naming the cause and the fix: bad parameters (400, every problem listed under
/// <c>problems</c>), an unknown sweep (404), a missing token (401), a grid that cannot answer (503).
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>400 with every problem; <paramref name="title"/> says what was refused.</summary>
    public static IResult BadRequest(IReadOnlyList<string> problems, string title = "The request has problems") =>
        Results.Problem(title: title, statusCode: StatusCodes.Status400BadRequest,
            detail: problems.Count == 1 ? problems[0] : $"{problems.Count} problems: " + string.Join("; ", problems),
            extensions: new Dictionary<string, object?> { ["problems"] = problems });

    public static IResult SweepNotFound(string sweepId) =>
        Results.Problem(title: "No such sweep", statusCode: StatusCodes.Status404NotFound,
            detail: $"No sweep '{sweepId}' here: GET /api/sweeps lists the sweeps of this grid (check the id, or the state folder or cluster `serve` was started on)",
            extensions: new Dictionary<string, object?> { ["sweep"] = sweepId });

    /// <summary>Writes a problem where no endpoint result can (middleware).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail, IReadOnlyList<string>? problems = null)
    {
        context.Response.StatusCode = status;
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"https://tools.ietf.org/html/rfc9110#section-15.{(status >= 500 ? "6" : "5")}.{status % 100 + 1}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (problems is not null) body["problems"] = problems;
        return context.Response.WriteAsJsonAsync(body, ApiJson.Options, ContentType);
    }
}
