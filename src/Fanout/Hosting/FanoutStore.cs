using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace Fanout.Hosting;

/// <summary>
/// The journal behind durable topics: Akka.Persistence.Sql (linq2db) on an embedded SQLite
/// file or a PostgreSQL database, configured through Akka.Persistence.Sql.Hosting. Tables
/// are created at start. Only the journal: topics need no snapshot store (recovery reads
/// the retained rows, retention deletes the rest).
/// </summary>
public static class FanoutStore
{
    /// <summary>Adds the journal of <paramref name="options"/> (nothing for the memory store).</summary>
    public static AkkaConfigurationBuilder WithFanoutStore(this AkkaConfigurationBuilder builder, StoreOptions options)
    {
        switch (options.ParsedKind)
        {
            case StoreKind.Sqlite:
                var connectionString = PrepareSqlite(options.EffectiveConnectionString);
                builder.WithSqlPersistence(connectionString, ProviderName.SQLiteMS, PersistenceMode.Journal, autoInitialize: true);

                // One file, one writer at a time: parallel writers would only queue on
                // SQLite's lock. Batching across topics keeps throughput.
                builder.AddHocon("akka.persistence.journal.sql.parallelism = 1", HoconAddMode.Prepend);
                break;
            case StoreKind.Postgresql:
                builder.WithSqlPersistence(options.EffectiveConnectionString, ProviderName.PostgreSQL15, PersistenceMode.Journal, autoInitialize: true);
                break;
            case StoreKind.Memory:
                return builder;
        }

        // Start the journal with the node, not with the first topic: its tables are created
        // (or a wrong connection string is reported) at start.
        builder.AddStartup((system, _) => Persistence.Instance.Apply(system).JournalFor(null));
        return builder;
    }

    /// <summary>
    /// Creates the SQLite file's folder and switches the file to write-ahead logging (a
    /// setting the file keeps), so readers never wait for the writer.
    /// </summary>
    public static string PrepareSqlite(string connectionString)
    {
        var parsed = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(parsed.DataSource) || parsed.DataSource == ":memory:" || parsed.Mode == SqliteOpenMode.Memory)
        {
            return connectionString;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(parsed.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
        return connectionString;
    }
}
