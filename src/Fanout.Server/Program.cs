using Fanout.Server;

await FanoutNode.Build(args).RunAsync();

/// <summary>Entry point; <see cref="FanoutNode"/> builds the node.</summary>
public partial class Program;
