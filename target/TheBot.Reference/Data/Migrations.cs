namespace TheBot.Reference.Data;

/// <summary>
/// The platform's schema as versioned migrations, recorded in a django_migrations-shaped table
/// exactly as Django records them, so a migrations check works here as on the real platform.
/// Append new migrations; never edit an applied one.
/// </summary>
public static class Migrations
{
    public sealed record Migration(string App, string Name, string Sql);

    public static readonly IReadOnlyList<Migration> All =
    [
        new("accounts", "0001_initial", """
            CREATE TABLE accounts_user (
                id SERIAL PRIMARY KEY,
                username TEXT NOT NULL UNIQUE,
                email TEXT NOT NULL UNIQUE,
                first_name TEXT NOT NULL DEFAULT '',
                last_name TEXT NOT NULL DEFAULT '',
                role TEXT NOT NULL,
                password TEXT NOT NULL,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                is_staff BOOLEAN NOT NULL DEFAULT FALSE,
                is_superuser BOOLEAN NOT NULL DEFAULT FALSE,
                date_joined TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            CREATE TABLE authtoken_token (
                key CHAR(40) PRIMARY KEY,
                user_id INTEGER NOT NULL UNIQUE REFERENCES accounts_user(id) ON DELETE CASCADE,
                created TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            """),
        new("accounts", "0002_relationships", """
            CREATE TABLE accounts_studentprofile (
                user_id INTEGER PRIMARY KEY REFERENCES accounts_user(id) ON DELETE CASCADE,
                tutor_id INTEGER REFERENCES accounts_user(id),
                parent_id INTEGER REFERENCES accounts_user(id)
            );
            """),
    ];
}
