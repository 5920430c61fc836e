using System.Net;
using Fanout.Protocol;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Fanout.Client;

/// <summary>
/// The bounded retry of requests (Polly through Microsoft.Extensions.Http.Resilience): 429 is
/// retried always (the rate limiter turns a request away before reading it: nothing was
/// accepted); 503, 502, 504, 408 and lost connections only when the request is marked safe
/// (<see cref="SafeToRepeat"/>: a publish with a key, or a stream's GET) or the answer says
/// nothing was stored. <c>Retry-After</c> decides the wait, cut to
/// <see cref="FanoutClientOptions.MaxRetryAfter"/>.
/// </summary>
internal static class PublishRetry
{
    /// <summary>Set on a request when sending it twice cannot publish twice.</summary>
    public static readonly HttpRequestOptionsKey<bool> SafeToRepeat = new("Fanout.SafeToRepeat");

    public static HttpRetryStrategyOptions Options(FanoutClientOptions options) => new()
    {
        // Replaced by the generator below, which also bounds the header's wait.
        ShouldRetryAfterHeader = false,
        DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response
            && FanoutProblemException.RetryAfterOf(response) is { } wait
                ? (TimeSpan?)(wait < options.MaxRetryAfter ? wait : options.MaxRetryAfter)
                : null),
        MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
        Delay = options.RetryDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context.GetRequestMessage(), options, args.Context.CancellationToken),
    };

    public static ResiliencePipeline<HttpResponseMessage> Pipeline(FanoutClientOptions options) =>
        options.MaxRetryAttempts == 0
            ? ResiliencePipeline<HttpResponseMessage>.Empty
            : new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(Options(options)).Build();

    private static async ValueTask<bool> ShouldRetryAsync(
        Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, FanoutClientOptions options, CancellationToken cancellationToken)
    {
        if (options.MaxRetryAttempts == 0)
        {
            return false;
        }

        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException && IsSafe(request);
        }

        var response = outcome.Result!;
        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests:
                return true;
            case HttpStatusCode.ServiceUnavailable:
                return IsSafe(request) || await NothingWasStoredAsync(response, cancellationToken);
            case HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout:
                return IsSafe(request);
            default:
                return false;
        }
    }

    /// <summary>A 503 whose title says the journal refused the write: nothing of the publish exists.</summary>
    private static async Task<bool> NothingWasStoredAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await FanoutProblemException.ReadProblemAsync(response, cancellationToken))?.Title == ProblemTitles.StoreRejectedPublish;

    private static bool IsSafe(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(SafeToRepeat, out var safe) && safe;
}
