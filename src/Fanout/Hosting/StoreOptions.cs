namespace Fanout.Hosting;

/// <summary>Where topics keep their events: the <c>Fanout:Store</c> section.</summary>
public sealed class StoreOptions
{
    /// <summary>The SQLite file used when no connection string is given, relative to the working directory.</summary>
    public const string DefaultSqliteFile = "data/fanout.db";

    /// <summary><c>sqlite</c> (default), <c>postgresql</c> or <c>memory</c>.</summary>
    public string Kind { get; set; } = "sqlite";

    /// <summary>The journal's connection string; for SQLite a file under <c>data/</c> when unset.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The parsed <see cref="Kind"/>; call <see cref="Validate"/> first.</summary>
    public StoreKind ParsedKind => TryParseKind(Kind, out var kind)
        ? kind
        : throw new InvalidOperationException($"Fanout:Store:Kind '{Kind}' is not sqlite, postgresql or memory.");

    /// <summary>The connection string the journal uses (the SQLite default filled in).</summary>
    public string EffectiveConnectionString => ParsedKind switch
    {
        StoreKind.Sqlite when string.IsNullOrWhiteSpace(ConnectionString) => $"Data Source={DefaultSqliteFile}",
        _ => ConnectionString ?? string.Empty,
    };

    public IEnumerable<string> Validate()
    {
        if (!TryParseKind(Kind, out var kind))
        {
            yield return $"Fanout:Store:Kind must be sqlite, postgresql or memory (was '{Kind}').";
            yield break;
        }

        if (kind == StoreKind.Postgresql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "Fanout:Store:ConnectionString must be set for Fanout:Store:Kind=postgresql (an Npgsql connection string, e.g. Host=127.0.0.1;Username=fanout;Password=...;Database=fanout).";
        }

        if (kind == StoreKind.Memory && !string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "Fanout:Store:ConnectionString has no meaning for Fanout:Store:Kind=memory; remove it or choose sqlite or postgresql.";
        }
    }

    private static bool TryParseKind(string? text, out StoreKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "sqlite":
                kind = StoreKind.Sqlite;
                return true;
            case "postgresql":
                kind = StoreKind.Postgresql;
                return true;
            case "memory":
                kind = StoreKind.Memory;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}

public enum StoreKind
{
    /// <summary>An embedded SQLite file: one node, durable.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database every node shares: a durable cluster.</summary>
    Postgresql,

    /// <summary>Nothing on disk: history lives in the topic actors (tests, throw-away nodes).</summary>
    Memory,
}
