using Npgsql;

namespace TheBot.Reference.Data;

/// <summary>
/// What `create_test_materials`, `create_test_assignments` and `create_test_reports` leave behind:
/// subjects, active enrollments (student@ with teacher@ in "Математика"), materials, assignments,
/// reports and one chat. Runs once per database, like the commands' idempotent guards.
/// </summary>
public static class TestData
{
    public static async Task SeedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using (var check = new NpgsqlCommand("SELECT count(*) FROM materials_subject", conn))
            if ((long)(await check.ExecuteScalarAsync(ct))! > 0) return;

        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO materials_subject (name, description, color) VALUES
              ('Математика', 'Алгебра и геометрия', '#3B82F6'),
              ('Физика', 'Механика и оптика', '#10B981'),
              ('Русский язык', 'Грамматика и орфография', '#F59E0B'),
              ('Английский язык', 'Grammar and vocabulary', '#EF4444');

            -- student@ and teacher@ in Математика; student2@ with teacher2@ in Русский язык.
            INSERT INTO materials_subjectenrollment (student_id, subject_id, teacher_id)
            SELECT s.id, sub.id, t.id FROM accounts_user s, accounts_user t, materials_subject sub
            WHERE (s.email, t.email, sub.name) IN (('student@test.com', 'teacher@test.com', 'Математика'),
                                                   ('student2@test.com', 'teacher2@test.com', 'Русский язык'));

            INSERT INTO materials_material (title, description, content, author_id, subject_id, type, status, is_public, published_at)
            SELECT v.title, v.descr, v.content, t.id, sub.id, v.type, v.status, v.pub, CASE WHEN v.status = 'active' THEN now() END
            FROM (VALUES
              ('Введение в алгебру', 'Основные понятия', 'Переменные, выражения и уравнения первой степени.', 'lesson', 'active', TRUE, 'Математика', 'teacher@test.com'),
              ('Квадратные уравнения', 'Дискриминант', 'Формула корней квадратного уравнения и теорема Виета.', 'lesson', 'active', FALSE, 'Математика', 'teacher@test.com'),
              ('Тест по дробям', 'Проверка знаний', 'Десять задач на сложение и умножение дробей.', 'test', 'active', FALSE, 'Математика', 'teacher@test.com'),
              ('Домашнее задание: функции', 'Графики функций', 'Постройте графики линейной и квадратичной функций.', 'homework', 'active', FALSE, 'Математика', 'teacher@test.com'),
              ('Геометрия: треугольники', 'Черновик', 'Признаки равенства треугольников, теорема Пифагора.', 'lesson', 'draft', FALSE, 'Математика', 'teacher@test.com'),
              ('Законы Ньютона', 'Механика', 'Три закона Ньютона с примерами из жизни.', 'lesson', 'active', FALSE, 'Физика', 'teacher2@test.com'),
              ('Орфография: Н и НН', 'Правила', 'Правописание Н и НН в суффиксах прилагательных.', 'lesson', 'active', TRUE, 'Русский язык', 'teacher2@test.com')
            ) AS v(title, descr, content, type, status, pub, subject, author)
            JOIN materials_subject sub ON sub.name = v.subject JOIN accounts_user t ON t.email = v.author;

            INSERT INTO materials_material_assigned_to (material_id, user_id)
            SELECT m.id, s.id FROM materials_material m, accounts_user s
            WHERE m.title IN ('Квадратные уравнения', 'Тест по дробям', 'Домашнее задание: функции') AND s.email = 'student@test.com';

            INSERT INTO materials_materialprogress (student_id, material_id, is_completed, progress_percentage, time_spent, completed_at)
            SELECT s.id, m.id, m.title = 'Введение в алгебру', CASE WHEN m.title = 'Введение в алгебру' THEN 100 ELSE 40 END, 25,
                   CASE WHEN m.title = 'Введение в алгебру' THEN now() END
            FROM materials_material m, accounts_user s
            WHERE m.title IN ('Введение в алгебру', 'Квадратные уравнения') AND s.email = 'student@test.com';

            INSERT INTO assignments_assignment (title, description, instructions, author_id, type, max_score, attempts_limit, start_date, due_date)
            SELECT v.title, v.descr, v.instr, t.id, v.type, v.max, v.attempts, now() - interval '7 days', now() + v.due
            FROM (VALUES
              ('Контрольная по алгебре', 'Линейные уравнения', 'Решите все задачи и покажите ход решения.', 'test', 100, 3, interval '14 days'),
              ('Домашняя работа №1', 'Квадратные уравнения', 'Решите уравнения 1-10 из учебника.', 'homework', 10, 2, interval '7 days'),
              ('Эссе: роль математики', 'Творческое задание', 'Напишите эссе на 300 слов.', 'essay', 50, 1, interval '-1 days')
            ) AS v(title, descr, instr, type, max, attempts, due)
            JOIN accounts_user t ON t.email = 'teacher@test.com';

            INSERT INTO assignments_assignment_assigned_to (assignment_id, user_id)
            SELECT a.id, s.id FROM assignments_assignment a, accounts_user s WHERE s.email = 'student@test.com';

            INSERT INTO assignments_assignmentsubmission (assignment_id, student_id, content, status, score, max_score, feedback, graded_at)
            SELECT a.id, s.id, 'Мои решения задач 1-10.', 'graded', 8, a.max_score, 'Хорошая работа', now()
            FROM assignments_assignment a, accounts_user s WHERE a.title = 'Домашняя работа №1' AND s.email = 'student@test.com';

            INSERT INTO reports_report (title, description, type, status, author_id, student_id, start_date, end_date, content, generated_at)
            SELECT v.title, v.descr, v.type, v.status, t.id, s.id, current_date - 30, current_date,
                   CASE WHEN v.status = 'ready' THEN '{"summary": "Стабильный прогресс", "average_score": 80}'::jsonb END,
                   CASE WHEN v.status = 'ready' THEN now() END
            FROM (VALUES
              ('Отчёт за месяц: Иван', 'Прогресс по математике', 'student_progress', 'ready'),
              ('Недельный отчёт', 'Посещаемость и задания', 'weekly', 'draft')
            ) AS v(title, descr, type, status)
            JOIN accounts_user t ON t.email = 'teacher@test.com' JOIN accounts_user s ON s.email = 'student@test.com';

            WITH room AS (
              INSERT INTO chat_chatroom (name, type, created_by_id)
              SELECT 'Иван Студентов — Пётр Учителев', 'direct', t.id FROM accounts_user t WHERE t.email = 'teacher@test.com'
              RETURNING id, created_by_id)
            INSERT INTO chat_chatparticipant (room_id, user_id)
            SELECT room.id, u.id FROM room, accounts_user u WHERE u.email IN ('student@test.com', 'teacher@test.com');

            INSERT INTO chat_message (room_id, sender_id, content)
            SELECT p.room_id, u.id, v.content
            FROM (VALUES ('teacher@test.com', 'Здравствуйте! Не забудьте про домашнее задание.', 1),
                         ('student@test.com', 'Добрый день! Уже делаю.', 2)) AS v(email, content, ord)
            JOIN accounts_user u ON u.email = v.email
            JOIN chat_chatparticipant p ON p.user_id = u.id
            ORDER BY v.ord;
            """, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }
}
