using System.Globalization;

namespace Fanout.AspNetCore.Http;

/// <summary>RFC 9457 problem answers; the title says what was wrong.</summary>
public static class Problems
{
    public static IResult BadRequest(string title, string? detail = null) => Problem(StatusCodes.Status400BadRequest, title, detail);

    public static IResult Unauthorized(string title, string? detail = null) => Problem(StatusCodes.Status401Unauthorized, title, detail);

    public static IResult Forbidden(string title) => Problem(StatusCodes.Status403Forbidden, title);

    public static IResult NotFound(string title) => Problem(StatusCodes.Status404NotFound, title);

    public static IResult MethodNotAllowed(string title) => Problem(StatusCodes.Status405MethodNotAllowed, title);

    public static IResult TooLarge(string title) => Problem(StatusCodes.Status413PayloadTooLarge, title);

    public static IResult UnsupportedMediaType(string title) => Problem(StatusCodes.Status415UnsupportedMediaType, title);

    public static IResult TooManyRequests(string title, TimeSpan retryAfter) =>
        new RetryAfterResult(Problem(StatusCodes.Status429TooManyRequests, title), retryAfter);

    public static IResult Unavailable(string title, string? detail = null) => Problem(StatusCodes.Status503ServiceUnavailable, title, detail);

    public static IResult Unavailable(string title, TimeSpan retryAfter) =>
        new RetryAfterResult(Problem(StatusCodes.Status503ServiceUnavailable, title), retryAfter);

    public static IResult Problem(int status, string title, string? detail = null) =>
        Results.Problem(title: title, detail: detail, statusCode: status);

    /// <summary>A problem with a <c>Retry-After</c> header in whole seconds (at least 1).</summary>
    private sealed class RetryAfterResult(IResult problem, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }
}
