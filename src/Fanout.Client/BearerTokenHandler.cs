using System.Net.Http.Headers;

namespace Fanout.Client;

/// <summary>
/// Asks the token provider before every attempt (it sits inside the retry handler, so a
/// retry or a reconnect carries a fresh token) and sends the answer as a bearer token.
/// </summary>
internal sealed class BearerTokenHandler(Func<CancellationToken, ValueTask<string?>> tokenProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokenProvider(cancellationToken);
        request.Headers.Authorization = string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }
}
