using Akka.Configuration;

namespace Fanout.Tests.Support;

/// <summary>
/// An actor system whose default journal is Akka.Persistence.TestKit's <c>TestJournal</c>
/// (writes and recoveries can be made to fail, be rejected or wait) and whose snapshot store
/// is in memory: the set-up of every spec that plays the journal.
/// </summary>
public static class TestJournalConfig
{
    public static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);
}
