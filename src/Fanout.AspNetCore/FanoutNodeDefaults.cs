namespace Fanout.AspNetCore;

/// <summary>Names and addresses a Fanout node uses unless configured otherwise.</summary>
public static class FanoutNodeDefaults
{
    /// <summary>The actor system's name, part of every node's remoting address (<c>akka.tcp://fanout@host:port</c>).</summary>
    public const string ActorSystemName = "fanout";

    /// <summary>Where a node listens when no ASP.NET Core setting names an address: loopback only.</summary>
    public const string Url = "http://127.0.0.1:8080";

    /// <summary>The configuration section the node's settings are read from.</summary>
    public const string Section = "Fanout";
}
