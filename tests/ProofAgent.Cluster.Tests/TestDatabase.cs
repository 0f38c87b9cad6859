using Npgsql;

namespace ProofAgent.Cluster.Tests;

/// <summary>
/// A fresh PostgreSQL database for one test, made with the role of <c>$PROOFAGENT_TEST_POSTGRES</c> (which
/// <c>.ci/run</c> starts and exports) and dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "PROOFAGENT_TEST_POSTGRES";

    private readonly string _admin;

    private TestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of the new database (what <c>agent serve --store</c> gets).</summary>
    public string ConnectionString { get; }

    /// <summary>Why the PostgreSQL tests cannot run here, or null. Under PROOFAGENT_REQUIRE_ALL_TOOLS=1 (CI) never a reason: they run and fail.</summary>
    public static string? SkipReason() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } || SkipReasons.ToolsRequired
            ? null
            : $"${Variable} is not set: no PostgreSQL to test against (`.ci/run` starts one and sets it)";

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        Assert.False(string.IsNullOrEmpty(admin), $"${Variable} must name a PostgreSQL role that may create databases (`.ci/run` sets it)");
        var name = "pa_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(admin!, name, builder.ConnectionString);
    }

    public NpgsqlDataSource OpenDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that needs PostgreSQL (<c>$PROOFAGENT_TEST_POSTGRES</c>) and, optionally, tools; skipped only on a developer machine.</summary>
public sealed class RequiresPostgresFactAttribute : FactAttribute
{
    public RequiresPostgresFactAttribute(params string[] tools)
    {
        if ((TestDatabase.SkipReason() ?? SkipReasons.Tools(tools)) is { } reason)
        {
            Skip = reason;
        }
    }
}
