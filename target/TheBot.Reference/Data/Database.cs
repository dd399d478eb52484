using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Npgsql;
using TheBot.Reference.Features;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Data;

/// <summary>The platform's PostgreSQL: applies pending migrations, seeds the contract's users.</summary>
public sealed class Database(NpgsqlDataSource dataSource, PlatformOptions options, ILogger<Database> log)
{
    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Returns how many migrations this start applied.</summary>
    public async Task<int> MigrateAndSeedAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await Exec(conn, """
            CREATE TABLE IF NOT EXISTS django_migrations (
                id SERIAL PRIMARY KEY, app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL,
                applied TIMESTAMPTZ NOT NULL DEFAULT now())
            """, ct);
        var applied = new HashSet<(string, string)>();
        await using (var cmd = new NpgsqlCommand("SELECT app, name FROM django_migrations", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) applied.Add((reader.GetString(0), reader.GetString(1)));

        var count = 0;
        foreach (var m in Migrations.All.Where(m => !applied.Contains((m.App, m.Name))))
        {
            if (options.Faults.Has(Fault.MigrationsPending) && m == Migrations.All[^1])
            {
                log.LogWarning("Fault {Fault}: leaving {App}.{Name} unapplied", Fault.MigrationsPending, m.App, m.Name);
                continue;
            }
            await using var tx = await conn.BeginTransactionAsync(ct);
            await Exec(conn, m.Sql, ct);
            await using var record = new NpgsqlCommand("INSERT INTO django_migrations (app, name) VALUES ($1, $2)", conn);
            record.Parameters.AddWithValue(m.App);
            record.Parameters.AddWithValue(m.Name);
            await record.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            count++;
        }
        await SeedUsersAsync(conn, ct);
        await TestData.SeedAsync(conn, ct);
        return count;
    }

    /// <summary>Rows as JSON objects, shaped by PostgreSQL itself (json_agg), so endpoints stay short.</summary>
    public async Task<JsonArray> RowsAsync(string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Command($"SELECT coalesce(json_agg(t), '[]')::text FROM ({sql}) t", args);
        var text = (string?)await Timed(() => cmd.ExecuteScalarAsync(ct)) ?? "[]";
        return JsonNode.Parse(text)!.AsArray();
    }

    public async Task<JsonObject?> RowAsync(string sql, CancellationToken ct, params object?[] args)
    {
        var rows = await RowsAsync(sql, ct, args);
        if (rows.Count == 0) return null;
        var row = rows[0]!.AsObject();
        rows.RemoveAt(0); // detached, so callers can embed it in another document
        return row;
    }

    public async Task<T?> ScalarAsync<T>(string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Command(sql, args);
        var value = await Timed(() => cmd.ExecuteScalarAsync(ct));
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> ExecAsync(string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Command(sql, args);
        return await Timed(() => cmd.ExecuteNonQueryAsync(ct));
    }

    public NpgsqlCommand Command(string sql, params object?[] args)
    {
        var cmd = dataSource.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a ?? DBNull.Value });
        Metrics.DbExecute.Inc();
        Metrics.OrmQueries.Inc();
        Metrics.DbConnections.Inc(); // a pooled connection checkout per statement
        return cmd;
    }

    /// <summary>Feeds django_db_execute_time_seconds and django_db_slow_query_total (over 500 ms).</summary>
    private static async Task<T> Timed<T>(Func<Task<T>> run)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try { return await run(); }
        finally
        {
            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            Metrics.DbExecuteTime.Observe(seconds);
            if (seconds > 0.5) Metrics.DbSlowQueries.Inc();
        }
    }

    /// <summary>The seven users of `create_test_users_all`; idempotent like the command.</summary>
    private async Task SeedUsersAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        (string Email, string Role, string First, string Last)[] users =
        [
            ("student@test.com", "student", "Иван", "Студентов"),
            ("student2@test.com", "student", "Мария", "Ученикова"),
            ("teacher@test.com", "teacher", "Пётр", "Учителев"),
            ("teacher2@test.com", "teacher", "Анна", "Преподова"),
            ("tutor@test.com", "tutor", "Ольга", "Тьюторова"),
            ("parent@test.com", "parent", "Сергей", "Родителев"),
            ("admin@test.com", "admin", "Админ", "Системный"),
        ];
        var hash = PasswordHasher.Hash(options.SeedPassword);
        foreach (var (email, role, first, last) in users)
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO accounts_user (username, email, first_name, last_name, role, password, is_staff, is_superuser)
                VALUES ($1, $1, $2, $3, $4, $5, $6, $6)
                ON CONFLICT (email) DO UPDATE SET password = EXCLUDED.password, is_active = TRUE
                """, conn);
            cmd.Parameters.AddWithValue(email);
            cmd.Parameters.AddWithValue(first);
            cmd.Parameters.AddWithValue(last);
            cmd.Parameters.AddWithValue(role);
            cmd.Parameters.AddWithValue(hash);
            // admin-not-staff: the admin account exists but `createsuperuser` was never run for it.
            cmd.Parameters.AddWithValue(role == "admin" && !options.Faults.Has(Fault.AdminNotStaff));
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (options.LoadUsers > 0)
        {
            // Load-test accounts, tagged by their domain and last name; idempotent like the users above.
            await using var load = new NpgsqlCommand("""
                INSERT INTO accounts_user (username, email, first_name, last_name, role, password)
                SELECT e, e, 'Load', 'load-pool', CASE WHEN n % 2 = 1 THEN 'student' ELSE 'teacher' END, $1
                FROM generate_series(1, $2) AS n, LATERAL (SELECT 'load-' || lpad(n::text, 4, '0') || '@load.test' AS e) AS l
                ON CONFLICT (email) DO UPDATE SET password = EXCLUDED.password, is_active = TRUE
                """, conn);
            load.Parameters.AddWithValue(hash);
            load.Parameters.AddWithValue(options.LoadUsers);
            await load.ExecuteNonQueryAsync(ct);
        }
        await Exec(conn, """
            INSERT INTO accounts_studentprofile (user_id, tutor_id, parent_id)
            SELECT s.id, t.id, p.id FROM accounts_user s, accounts_user t, accounts_user p
            WHERE s.email IN ('student@test.com', 'student2@test.com') AND t.email = 'tutor@test.com' AND p.email = 'parent@test.com'
            ON CONFLICT (user_id) DO NOTHING
            """, ct);
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Django-style pbkdf2_sha256 hashes (fewer rounds: the stand-in must stay fast under load).</summary>
public static class PasswordHasher
{
    private const int Iterations = 20_000;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetHexString(16, lowercase: true);
        var digest = Rfc2898DeriveBytes.Pbkdf2(password, System.Text.Encoding.UTF8.GetBytes(salt), Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2_sha256${Iterations}${salt}${Convert.ToBase64String(digest)}";
    }

    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || !int.TryParse(parts[1], out var iterations)) return false;
        var digest = Rfc2898DeriveBytes.Pbkdf2(password, System.Text.Encoding.UTF8.GetBytes(parts[2]), iterations, HashAlgorithmName.SHA256, 32);
        return CryptographicOperations.FixedTimeEquals(digest, Convert.FromBase64String(parts[3]));
    }
}
