using Akka.Actor;
using Akka.Persistence;

namespace Fanout.Diagnostics;

/// <summary>
/// The node's <see cref="JournalProbe"/> on its default journal, started once per actor
/// system on first use; <see cref="Get"/> returns what it found. For nodes with a durable
/// store only: on the memory store there is no journal to ask.
/// </summary>
public sealed class JournalHealthExtension : IExtension
{
    public const string ProbeName = "fanout-journal-probe";

    public JournalHealthExtension(ExtendedActorSystem system)
    {
        var journal = Persistence.Instance.Apply(system).JournalFor(null);
        system.SystemActorOf(JournalProbe.Props(journal, Health), ProbeName);
    }

    public JournalHealth Health { get; } = new();

    /// <summary>The journal's health on this node (starts probing on the first call).</summary>
    public static JournalHealth Get(ActorSystem system) =>
        system.WithExtension<JournalHealthExtension, JournalHealthExtensionId>().Health;
}

public sealed class JournalHealthExtensionId : ExtensionIdProvider<JournalHealthExtension>
{
    public override JournalHealthExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
