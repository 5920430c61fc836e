using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fanout.Protocol;

namespace Fanout.Client;

/// <summary>One item of a subscription: a published event, or a lagged or reset marker.</summary>
public sealed class FanoutEvent
{
    private readonly JsonSerializerOptions _jsonOptions;

    internal FanoutEvent(FanoutEventKind kind, string? topic, string type, string? id, JsonElement data, JsonSerializerOptions jsonOptions)
    {
        Kind = kind;
        Topic = topic;
        Type = type;
        Id = id;
        Data = data;
        _jsonOptions = jsonOptions;
        Lagged = kind == FanoutEventKind.Lagged ? data.Deserialize(FanoutJsonContext.Default.LaggedPayload) : null;
        Reset = kind == FanoutEventKind.Reset ? data.Deserialize(FanoutJsonContext.Default.ResetPayload) : null;
    }

    /// <summary>Whether this is an event or a marker.</summary>
    public FanoutEventKind Kind { get; }

    /// <summary>
    /// The topic. Known for every item of a one-topic subscription and for every lagged or
    /// reset marker (their data names it). Null for a published event of a multi-topic
    /// subscription: its frame does not name its topic and the cursor is opaque, so give the
    /// topics' events distinct types, or put the topic into the data.
    /// </summary>
    public string? Topic { get; }

    /// <summary>The SSE event type: the published type (default <c>message</c>), or <c>fanout.lagged</c> / <c>fanout.reset</c>.</summary>
    public string Type { get; }

    /// <summary>The cursor after this item (opaque); null for lagged markers, which carry none.</summary>
    public string? Id { get; }

    /// <summary>The data as published (for markers: their payload).</summary>
    public JsonElement Data { get; }

    /// <summary>The payload of a <see cref="FanoutEventKind.Lagged"/> marker, else null.</summary>
    public LaggedPayload? Lagged { get; }

    /// <summary>The payload of a <see cref="FanoutEventKind.Reset"/> marker, else null.</summary>
    public ResetPayload? Reset { get; }

    /// <summary>The data read as <typeparamref name="T"/>, with the client's JSON options unless others are given.</summary>
    public T? Deserialize<T>(JsonSerializerOptions? options = null) => Data.Deserialize<T>(options ?? _jsonOptions);

    /// <summary>The data read as <typeparamref name="T"/> through source-generated metadata.</summary>
    public T? Deserialize<T>(JsonTypeInfo<T> typeInfo) => Data.Deserialize(typeInfo);

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Type} {Topic} {Id}: {Data.GetRawText()}";
}
