namespace Fanout.Subscribers;

/// <summary>
/// What one SSE connection asks for: its topics (distinct, validated), the cursor it
/// resumes from (Last-Event-ID), and who it is, for operators.
/// </summary>
public sealed record SubscriptionRequest(
    IReadOnlyList<string> Topics,
    string? LastEventId,
    string? RemoteAddress = null,
    string? UserAgent = null);
