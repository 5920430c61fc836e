namespace Fanout.Server.Http;

/// <summary>RFC 9457 problem answers; the title says what was wrong.</summary>
public static class Problems
{
    public static IResult BadRequest(string title, string? detail = null) => Problem(StatusCodes.Status400BadRequest, title, detail);

    public static IResult NotFound(string title) => Problem(StatusCodes.Status404NotFound, title);

    public static IResult MethodNotAllowed(string title) => Problem(StatusCodes.Status405MethodNotAllowed, title);

    public static IResult TooLarge(string title) => Problem(StatusCodes.Status413PayloadTooLarge, title);

    public static IResult UnsupportedMediaType(string title) => Problem(StatusCodes.Status415UnsupportedMediaType, title);

    public static IResult Unavailable(string title, string? detail = null) => Problem(StatusCodes.Status503ServiceUnavailable, title, detail);

    public static IResult Problem(int status, string title, string? detail = null) =>
        Results.Problem(title: title, detail: detail, statusCode: status);
}
