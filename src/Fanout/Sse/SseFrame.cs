namespace Fanout.Sse;

/// <summary>
/// One SSE frame on its way to a response body: an optional head (the <c>id:</c> line)
/// and a body, both shared, never copied per subscriber.
/// </summary>
public readonly record struct SseFrame(byte[]? Head, byte[] Body)
{
    public int Length => (Head?.Length ?? 0) + Body.Length;

    public static SseFrame Of(byte[] body) => new(null, body);
}
