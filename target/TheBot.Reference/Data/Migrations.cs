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
        new("materials", "0001_initial", """
            CREATE TABLE materials_subject (
                id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '',
                color TEXT NOT NULL DEFAULT '#3B82F6');
            CREATE TABLE materials_subjectenrollment (
                id SERIAL PRIMARY KEY,
                student_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                subject_id INTEGER NOT NULL REFERENCES materials_subject(id) ON DELETE CASCADE,
                teacher_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                enrolled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                UNIQUE (student_id, subject_id, teacher_id));
            CREATE TABLE materials_material (
                id SERIAL PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', content TEXT NOT NULL,
                author_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                subject_id INTEGER NOT NULL REFERENCES materials_subject(id) ON DELETE CASCADE,
                type TEXT NOT NULL DEFAULT 'lesson', status TEXT NOT NULL DEFAULT 'draft',
                is_public BOOLEAN NOT NULL DEFAULT FALSE, file TEXT, difficulty_level INTEGER NOT NULL DEFAULT 1,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                published_at TIMESTAMPTZ);
            CREATE INDEX materials_material_subject ON materials_material (subject_id);
            CREATE TABLE materials_material_assigned_to (
                material_id INTEGER NOT NULL REFERENCES materials_material(id) ON DELETE CASCADE,
                user_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                PRIMARY KEY (material_id, user_id));
            CREATE TABLE materials_materialprogress (
                id SERIAL PRIMARY KEY,
                student_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                material_id INTEGER NOT NULL REFERENCES materials_material(id) ON DELETE CASCADE,
                is_completed BOOLEAN NOT NULL DEFAULT FALSE, progress_percentage INTEGER NOT NULL DEFAULT 0,
                time_spent INTEGER NOT NULL DEFAULT 0, started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                completed_at TIMESTAMPTZ, last_accessed TIMESTAMPTZ NOT NULL DEFAULT now(),
                UNIQUE (student_id, material_id));
            CREATE TABLE materials_materialcomment (
                id SERIAL PRIMARY KEY,
                material_id INTEGER NOT NULL REFERENCES materials_material(id) ON DELETE CASCADE,
                author_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                content TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            CREATE TABLE materials_materialsubmission (
                id SERIAL PRIMARY KEY,
                material_id INTEGER NOT NULL REFERENCES materials_material(id) ON DELETE CASCADE,
                student_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                submission_text TEXT NOT NULL DEFAULT '', submission_file TEXT,
                status TEXT NOT NULL DEFAULT 'submitted', teacher_feedback TEXT NOT NULL DEFAULT '',
                submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(), reviewed_at TIMESTAMPTZ,
                UNIQUE (material_id, student_id));
            CREATE TABLE materials_materialfile (
                id SERIAL PRIMARY KEY,
                material_id INTEGER NOT NULL REFERENCES materials_material(id) ON DELETE CASCADE,
                file TEXT NOT NULL, name TEXT NOT NULL, size BIGINT NOT NULL,
                uploaded_by_id INTEGER REFERENCES accounts_user(id) ON DELETE SET NULL,
                uploaded_at TIMESTAMPTZ NOT NULL DEFAULT now());
            """),
        new("assignments", "0001_initial", """
            CREATE TABLE assignments_assignment (
                id SERIAL PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, instructions TEXT NOT NULL,
                author_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                type TEXT NOT NULL DEFAULT 'homework', status TEXT NOT NULL DEFAULT 'published',
                max_score INTEGER NOT NULL DEFAULT 100, time_limit INTEGER, attempts_limit INTEGER NOT NULL DEFAULT 1,
                start_date TIMESTAMPTZ NOT NULL, due_date TIMESTAMPTZ NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            CREATE TABLE assignments_assignment_assigned_to (
                assignment_id INTEGER NOT NULL REFERENCES assignments_assignment(id) ON DELETE CASCADE,
                user_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                PRIMARY KEY (assignment_id, user_id));
            CREATE TABLE assignments_assignmentsubmission (
                id SERIAL PRIMARY KEY,
                assignment_id INTEGER NOT NULL REFERENCES assignments_assignment(id) ON DELETE CASCADE,
                student_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                content TEXT NOT NULL DEFAULT '', file TEXT, status TEXT NOT NULL DEFAULT 'submitted',
                score NUMERIC(7,2), max_score INTEGER NOT NULL, feedback TEXT NOT NULL DEFAULT '',
                attempt_number INTEGER NOT NULL DEFAULT 1,
                submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(), graded_at TIMESTAMPTZ);
            """),
        new("chat", "0001_initial", """
            CREATE TABLE chat_chatroom (
                id SERIAL PRIMARY KEY, name TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT 'direct',
                created_by_id INTEGER REFERENCES accounts_user(id) ON DELETE SET NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
            CREATE TABLE chat_chatparticipant (
                room_id INTEGER NOT NULL REFERENCES chat_chatroom(id) ON DELETE CASCADE,
                user_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                last_read_message_id INTEGER NOT NULL DEFAULT 0,
                joined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (room_id, user_id));
            CREATE TABLE chat_message (
                id SERIAL PRIMARY KEY,
                room_id INTEGER NOT NULL REFERENCES chat_chatroom(id) ON DELETE CASCADE,
                sender_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                content TEXT NOT NULL, message_type TEXT NOT NULL DEFAULT 'text',
                is_edited BOOLEAN NOT NULL DEFAULT FALSE, is_deleted BOOLEAN NOT NULL DEFAULT FALSE,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            CREATE INDEX chat_message_room ON chat_message (room_id, id);
            """),
        new("reports", "0001_initial", """
            CREATE TABLE reports_report (
                id SERIAL PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                type TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'draft',
                author_id INTEGER NOT NULL REFERENCES accounts_user(id) ON DELETE CASCADE,
                student_id INTEGER REFERENCES accounts_user(id) ON DELETE SET NULL,
                start_date DATE NOT NULL, end_date DATE NOT NULL, content JSONB,
                generated_at TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            """),
        new("payments", "0001_initial", """
            CREATE TABLE payments_payment (
                id UUID PRIMARY KEY,
                user_id INTEGER REFERENCES accounts_user(id) ON DELETE SET NULL,
                amount NUMERIC(10,2) NOT NULL, service_name TEXT NOT NULL DEFAULT '',
                customer_fio TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'pending', yookassa_payment_id TEXT UNIQUE,
                confirmation_url TEXT NOT NULL DEFAULT '', return_url TEXT NOT NULL DEFAULT '',
                metadata JSONB NOT NULL DEFAULT '{}',
                created TIMESTAMPTZ NOT NULL DEFAULT now(), updated TIMESTAMPTZ NOT NULL DEFAULT now(),
                paid_at TIMESTAMPTZ);
            """),
        new("applications", "0001_initial", """
            CREATE TABLE applications_application (
                id SERIAL PRIMARY KEY, tracking_token UUID NOT NULL UNIQUE,
                first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT NOT NULL,
                applicant_type TEXT NOT NULL DEFAULT 'student', grade TEXT NOT NULL DEFAULT '',
                motivation TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'pending',
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            """),
        new("core", "0001_auditlog", """
            CREATE TABLE core_auditlog (
                id SERIAL PRIMARY KEY, user_id INTEGER REFERENCES accounts_user(id) ON DELETE SET NULL,
                action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', ip_address TEXT NOT NULL DEFAULT '',
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            """),
        // Kept last and harmless on purpose: the migrations-pending fault leaves the final migration unapplied.
        new("core", "0002_auditlog_indexes", """
            CREATE INDEX core_auditlog_created ON core_auditlog (created_at);
            """),
    ];
}
