namespace Fanout.Protocol;

/// <summary>The data of <c>fanout.connected</c>: <c>{"node","topics","resumed"}</c>.</summary>
/// <param name="Node">The node serving the stream (its Akka address).</param>
/// <param name="Topics">The topics of the stream, in request order.</param>
/// <param name="Resumed">True when a cursor was given and honoured for every topic.</param>
public sealed record ConnectedPayload(string Node, IReadOnlyList<string> Topics, bool Resumed);

/// <summary>The data of <c>fanout.lagged</c>: <c>{"topic","dropped","fromSeq","toSeq"}</c>, where <c>dropped == toSeq - fromSeq + 1</c>.</summary>
/// <param name="Topic">The topic whose events were not delivered.</param>
/// <param name="Dropped">How many events were not delivered.</param>
/// <param name="FromSeq">The first seq not delivered.</param>
/// <param name="ToSeq">The last seq not delivered.</param>
public sealed record LaggedPayload(string Topic, long Dropped, long FromSeq, long ToSeq);

/// <summary>The data of <c>fanout.reset</c>: <c>{"topic","reason"}</c>; <see cref="Reason"/> is one of <see cref="ResetReasons"/>.</summary>
/// <param name="Topic">The topic whose cursor could not be honoured.</param>
/// <param name="Reason">Why: <c>cursor-expired</c>, <c>epoch-changed</c> or <c>cursor-invalid</c>.</param>
public sealed record ResetPayload(string Topic, string Reason);

/// <summary>The data of <c>fanout.shutdown</c>: <c>{"node"}</c>.</summary>
/// <param name="Node">The node that is going away.</param>
public sealed record ShutdownPayload(string Node);
