using Fanout.Dialects;

namespace Fanout.Subscribers;

/// <summary>
/// What one SSE connection asks for: its topics (distinct, validated), the cursor it
/// resumes from (Last-Event-ID), who it is, for operators, and the dialect its stream
/// speaks (null: Fanout's own frames).
/// </summary>
public sealed record SubscriptionRequest(
    IReadOnlyList<string> Topics,
    string? LastEventId,
    string? RemoteAddress = null,
    string? UserAgent = null,
    IEventDialect? Dialect = null);
