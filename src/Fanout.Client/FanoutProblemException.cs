using System.Net;
using System.Text.Json;
using Fanout.Protocol;

namespace Fanout.Client;

/// <summary>
/// A node answered with an error: its status and the problem body's <c>title</c> (see
/// <see cref="ProblemTitles"/>) and <c>detail</c>. Answers that are not problem bodies (from a
/// proxy, say) carry the status and its reason phrase.
/// </summary>
public sealed class FanoutProblemException : Exception
{
    /// <summary>Creates the exception for an answer.</summary>
    public FanoutProblemException(HttpStatusCode status, string title, string? detail = null, string? problemType = null, TimeSpan? retryAfter = null)
        : base(detail is null ? $"{(int)status} {title}" : $"{(int)status} {title} {detail}")
    {
        Status = status;
        Title = title;
        Detail = detail;
        ProblemType = problemType;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>What was wrong, as the node put it.</summary>
    public string Title { get; }

    /// <summary>More about this occurrence, when the node said more.</summary>
    public string? Detail { get; }

    /// <summary>The problem's <c>type</c> URI, when there was one.</summary>
    public string? ProblemType { get; }

    /// <summary>The answer's <c>Retry-After</c>, when it had one (429, 503).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Reads an error answer into the exception (the body is read, bounded to 64 KiB).</summary>
    internal static async Task<FanoutProblemException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var problem = await ReadProblemAsync(response, cancellationToken);
        var title = string.IsNullOrEmpty(problem?.Title) ? response.ReasonPhrase ?? response.StatusCode.ToString() : problem.Title;
        return new FanoutProblemException(response.StatusCode, title, problem?.Detail, problem?.Type, RetryAfterOf(response));
    }

    internal static async Task<ProblemAnswer?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int MaxProblemBytes = 64 * 1024;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase)
            || response.Content.Headers.ContentLength > MaxProblemBytes)
        {
            return null;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxProblemBytes, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonSerializer.Deserialize(body, FanoutJsonContext.Default.ProblemAnswer);
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException)
        {
            // Not a problem body after all: the status and reason phrase will do.
            return null;
        }
    }

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
