using Npgsql;
using Xunit;

namespace Fanout.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test, on the server <see cref="Variable"/> names
/// (<c>.ci/run</c> starts Debian's and sets it). Each test gets its own database, so no run
/// sees another's journal rows; it is dropped on dispose. Where the variable is unset or the
/// server does not answer, the test is skipped with the commands that provide one.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    /// <summary>The environment variable holding an Npgsql connection string to a role that may create databases.</summary>
    public const string Variable = "FANOUT_TEST_POSTGRES";

    /// <summary>What provides the server on Debian, as <c>.ci/run</c> does it (as root).</summary>
    public const string SetupCommands =
        "apt-get install -y postgresql; pg_ctlcluster 15 main start; "
        + "runuser -u postgres -- psql -c \"CREATE ROLE fanout LOGIN CREATEDB PASSWORD 'fanout'\" -c \"CREATE DATABASE fanout_test OWNER fanout\"; "
        + "export " + Variable + "='Host=127.0.0.1;Port=5432;Username=fanout;Password=fanout;Database=fanout_test' "
        + "(.ci/run does all of this)";

    private readonly string _server;
    private readonly string _database;

    private TestPostgres(string server, string database, string connectionString)
    {
        _server = server;
        _database = database;
        ConnectionString = connectionString;
    }

    /// <summary>The new database's connection string, for <c>Fanout:Store:ConnectionString</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>The node settings that put the journal in this database.</summary>
    public IReadOnlyList<string> StoreSettings =>
        ["--Fanout:Store:Kind=postgresql", $"--Fanout:Store:ConnectionString={ConnectionString}"];

    /// <summary>Creates a database named after <paramref name="purpose"/>; skips the calling test where no server is reachable.</summary>
    public static async Task<TestPostgres> CreateOrSkipAsync(string purpose)
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        Skip.If(string.IsNullOrWhiteSpace(server), $"{Variable} is not set, so there is no PostgreSQL to test on. Provide one with: {SetupCommands}");

        var builder = new NpgsqlConnectionStringBuilder(server) { Timeout = 5, Pooling = false };
        var database = $"fanout_{Sanitize(purpose)}_{Guid.NewGuid():N}";
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            Skip.If(true, $"PostgreSQL at {Variable} ({builder.Host}:{builder.Port}) did not create a test database: {ex.Message}. Provide one with: {SetupCommands}");
        }

        var own = new NpgsqlConnectionStringBuilder(server) { Database = database };
        return new TestPostgres(builder.ConnectionString, database, own.ConnectionString);
    }

    /// <summary>Rows in the journal table, to see that events went to PostgreSQL.</summary>
    public async Task<long> CountJournalRowsAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM journal", connection);
        return (long)(await count.ExecuteScalarAsync() ?? 0L);
    }

    public async ValueTask DisposeAsync()
    {
        // Nodes of this process may still hold pooled connections to the database.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>At most 20 lower-case letters, digits and underscores: the name stays within PostgreSQL's 63 bytes.</summary>
    private static string Sanitize(string purpose) =>
        new(purpose.ToLowerInvariant().Take(20).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
}
