using TheBot.Reference.Platform;

namespace TheBot.Reference.Ops;

/// <summary>docker-compose.yml of contract §9: postgres, redis, backend, frontend, nginx, celery-worker, celery-beat.</summary>
public static class ComposeFile
{
    public static string Render(FaultSet f)
    {
        var unpinned = f.Has(Fault.ComposeUnpinned);
        var incomplete = f.Has(Fault.ComposeIncomplete);
        var exposed = f.Has(Fault.ComposeExposedDatabase);
        var inline = f.Has(Fault.ComposeInlineSecrets);
        string Limits(string cpus, string memory, bool drop = false) => drop ? "" : $"""
                deploy:
                  resources:
                    limits:
                      cpus: "{cpus}"
                      memory: {memory}

            """;
        string Restart(bool drop = false) => drop ? "" : "    restart: unless-stopped\n";
        string DependsOn(params string[] services) => incomplete
            ? "    depends_on:\n" + string.Concat(services.Select(s => $"      - {s}\n"))
            : "    depends_on:\n" + string.Concat(services.Select(s => $"      {s}:\n        condition: service_healthy\n"));
        var backendImage = unpinned ? "registry.example.com/thebot-backend:latest" : "registry.example.com/thebot-backend:1.0.0";
        var frontendImage = unpinned ? "registry.example.com/thebot-frontend" : "registry.example.com/thebot-frontend:1.0.0";
        var secretEnv = inline
            ? "      SECRET_KEY: \"k3v9!x2m#q8w@p1z$$r7t^y4u&i6o*a0s(d5f)g-h_j=l+c\"\n      DATABASE_URL: postgresql://thebot:Sup3rS3cretPw@postgres:5432/thebot_prod\n"
            : "      SECRET_KEY: ${SECRET_KEY}\n      DATABASE_URL: ${DATABASE_URL}\n";

        return $$"""
            # docker-compose.yml (checklist 6; contract §9)
            name: thebot

            services:
              postgres:
                image: postgres:15.10-bookworm
                env_file: .env
                environment:
                  POSTGRES_DB: thebot_prod
                  POSTGRES_USER: ${POSTGRES_USER}
                  POSTGRES_PASSWORD: {{(inline ? "Sup3rS3cretPw" : "${POSTGRES_PASSWORD}")}}
                volumes:
                  - postgres_data:/var/lib/postgresql/data
            {{(exposed ? "    ports:\n      - \"5432:5432\"\n" : "    expose:\n      - \"5432\"\n")}}    healthcheck:
                  test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER} -d thebot_prod"]
                  interval: 10s
                  timeout: 5s
                  retries: 5
            {{Restart()}}{{Limits("1.0", "1g")}}
              redis:
                image: redis:7.2.5-alpine
                command: ["redis-server", "--appendonly", "yes", "--maxmemory", "512mb", "--requirepass", "${REDIS_PASSWORD}"]
                volumes:
                  - redis_data:/data
            {{(exposed ? "    ports:\n      - \"6379:6379\"\n" : "")}}    healthcheck:
                  test: ["CMD-SHELL", "redis-cli -a $${REDIS_PASSWORD} ping | grep PONG"]
                  interval: 10s
                  timeout: 5s
                  retries: 5
            {{Restart()}}{{Limits("0.5", "768m")}}
              backend:
                image: {{backendImage}}
                command: ["daphne", "-b", "0.0.0.0", "-p", "8000", "config.asgi:application"]
                env_file: .env
                environment:
                  ENVIRONMENT: production
                  DEBUG: "False"
            {{secretEnv}}      REDIS_URL: ${REDIS_URL}
                volumes:
            {{(incomplete ? "" : "      - backend_logs:/app/logs\n")}}      - static_files:/app/staticfiles
                  - media_files:/app/media
            {{DependsOn("postgres", "redis")}}    healthcheck:
                  test: ["CMD", "curl", "-fsS", "http://localhost:8000/api/system/health/live/"]
                  interval: 30s
                  timeout: 10s
                  retries: 3
                  start_period: 120s
            {{Restart()}}{{Limits("2.0", "2g", drop: incomplete)}}
              frontend:
                image: {{frontendImage}}
                healthcheck:
                  test: ["CMD", "wget", "-qO-", "http://localhost:3000/"]
                  interval: 30s
                  timeout: 5s
                  retries: 3
            {{DependsOn("backend")}}{{Restart(drop: incomplete)}}{{Limits("0.5", "256m")}}
              nginx:
                image: {{(unpinned ? "nginx:latest" : "nginx:1.27.3-alpine")}}
                ports:
                  - "80:80"
                  - "443:443"
                volumes:
                  - ./nginx/thebot.conf:/etc/nginx/conf.d/default.conf:ro
                  - static_files:/app/staticfiles:ro
                  - /etc/letsencrypt:/etc/letsencrypt:ro
                healthcheck:
                  test: ["CMD", "wget", "-qO-", "http://localhost/health"]
                  interval: 30s
                  timeout: 5s
                  retries: 3
            {{DependsOn("backend", "frontend")}}{{Restart()}}{{Limits("0.5", "256m")}}
              celery-worker:
                image: {{backendImage}}
                command: ["celery", "-A", "config", "worker", "-l", "info"]
                env_file: .env
                volumes:
                  - backend_logs:/app/logs
            {{DependsOn("postgres", "redis")}}{{(incomplete ? "" : "    healthcheck:\n      test: [\"CMD-SHELL\", \"celery -A config inspect ping -d celery@$$HOSTNAME\"]\n      interval: 60s\n      timeout: 10s\n      retries: 3\n")}}{{Restart()}}{{Limits("1.0", "1g")}}
              celery-beat:
                image: {{backendImage}}
                command: ["celery", "-A", "config", "beat", "-l", "info", "--pidfile", "/tmp/celerybeat.pid"]
                env_file: .env
                volumes:
                  - backend_logs:/app/logs
                healthcheck:
                  test: ["CMD-SHELL", "test -f /tmp/celerybeat.pid"]
                  interval: 60s
                  timeout: 5s
                  retries: 3
            {{DependsOn("redis")}}{{Restart()}}{{Limits("0.25", "256m")}}
            volumes:
              postgres_data:
              redis_data:
              backend_logs:
              static_files:
              media_files:
            """ + "\n";
    }
}
