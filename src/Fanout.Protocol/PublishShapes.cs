using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fanout.Protocol;

/// <summary>
/// One event to publish: <c>{"type","data","key"}</c>, the body of
/// <c>POST /topics/{topic}/events</c> and an element of a batch. <see cref="Data"/> is
/// required (any JSON value, <c>null</c> included); <see cref="Type"/> defaults to
/// <see cref="EventNames.DefaultType"/>; <see cref="Key"/> is an optional idempotency key.
/// </summary>
/// <param name="Data">The event's data, sent to subscribers as compact JSON.</param>
/// <param name="Type">1–100 characters of <c>A-Z a-z 0-9 . _ - : /</c>, not starting with <c>fanout.</c>; null for the default.</param>
/// <param name="Key">1–200 printable characters; publishing the same key again appends nothing.</param>
public sealed record PublishRequest(
    JsonElement Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null);

/// <summary>The <c>202</c> answer to a single publish: <c>{"topic","seq","id"}</c>, plus <c>"duplicate":true</c> when the key repeated.</summary>
/// <param name="Topic">The topic published to.</param>
/// <param name="Seq">The event's position in the topic.</param>
/// <param name="Id">The event's cursor (its SSE <c>id:</c>).</param>
/// <param name="Duplicate">True when the key was seen before: nothing was appended and these are the first event's seq and id.</param>
public sealed record PublishAnswer(
    string Topic,
    long Seq,
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Duplicate = false);

/// <summary>One event of a batch answer: <c>{"seq","id"}</c>, plus <c>"duplicate":true</c> when its key repeated.</summary>
/// <param name="Seq">The event's position in the topic.</param>
/// <param name="Id">The event's cursor.</param>
/// <param name="Duplicate">True when the key was seen before.</param>
public sealed record BatchEventAnswer(
    long Seq,
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Duplicate = false);

/// <summary>The <c>202</c> answer to <c>POST /topics/{topic}/events:batch</c>: <c>{"topic","events":[{"seq","id"}]}</c> in request order.</summary>
/// <param name="Topic">The topic published to.</param>
/// <param name="Events">One answer per published event, in request order.</param>
public sealed record BatchAnswer(string Topic, IReadOnlyList<BatchEventAnswer> Events);

/// <summary>An RFC 9457 problem body (<c>application/problem+json</c>) as a node sends it.</summary>
/// <param name="Type">A URI naming the kind of problem.</param>
/// <param name="Title">What was wrong; see <see cref="ProblemTitles"/>.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">More about this occurrence, when there is more.</param>
public sealed record ProblemAnswer(string? Type, string? Title, int? Status, string? Detail);
