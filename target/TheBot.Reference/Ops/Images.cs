using TheBot.Reference.Platform;

namespace TheBot.Reference.Ops;

/// <summary>`docker image inspect` output and Trivy JSON reports for the backend and frontend images.</summary>
public static class Images
{
    public static string Inspect(string service, FaultSet f)
    {
        var backend = service == "backend";
        var repo = $"registry.example.com/thebot-{service}";
        var tag = f.Has(Fault.ComposeUnpinned) ? "latest" : "1.0.0";
        long size = backend
            ? (f.Has(Fault.ImageOversized) ? 1_240_000_000 : 312_400_000)
            : (f.Has(Fault.ImageOversized) ? 418_000_000 : 48_700_000);
        var user = f.Has(Fault.ImageRootUser) ? (backend ? "" : "root") : (backend ? "appuser" : "101:101");
        var env = new List<string> { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };
        if (backend) env.AddRange(["PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", "DJANGO_SETTINGS_MODULE=config.settings.production"]);
        else env.AddRange(["NGINX_VERSION=1.27.3", "NODE_ENV=production"]);
        var labels = new Dictionary<string, string>
        {
            ["org.opencontainers.image.title"] = $"thebot-{service}",
            ["org.opencontainers.image.version"] = tag,
            ["org.opencontainers.image.source"] = "https://git.example.com/thebot/thebot",
        };
        if (f.Has(Fault.ImageSecretEnv) && backend)
        {
            env.Add("SECRET_KEY=k3v9!x2m#q8w@p1z$r7t^y4u&i6o*a0s(d5f)g-h_j=l+c");
            env.Add("DATABASE_URL=postgresql://thebot:Sup3rS3cretPw@db.internal:5432/thebot_prod");
            labels["build.telegram_bot_token"] = "7012345678:AAF1x9mQ2vZ8kL3nR5tY7uI0oP4aS6dF8gH";
        }
        var digest = backend ? "sha256:5b8e9c0f1d2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4" : "sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
        return OperationsArtefacts.Json(new[]
        {
            new
            {
                Id = digest,
                RepoTags = new[] { $"{repo}:{tag}" },
                RepoDigests = new[] { $"{repo}@{digest}" },
                Created = "2025-12-27T09:14:05.123456789Z",
                Size = size,
                Architecture = "amd64",
                Os = "linux",
                Config = new
                {
                    User = user,
                    Env = env,
                    Labels = labels,
                    ExposedPorts = new Dictionary<string, object> { [backend ? "8000/tcp" : "3000/tcp"] = new { } },
                    WorkingDir = backend ? "/app" : "/usr/share/nginx/html",
                    Cmd = backend ? new[] { "daphne", "-b", "0.0.0.0", "-p", "8000", "config.asgi:application" } : new[] { "nginx", "-g", "daemon off;" },
                },
            },
        });
    }

    public static string Trivy(string service, FaultSet f)
    {
        var vulns = new List<object>
        {
            Vuln("CVE-2024-45490", "libexpat1", "2.5.0-1", "2.5.0-1+deb12u1", "MEDIUM"),
            Vuln("CVE-2023-50495", "ncurses-base", "6.4-4", "", "LOW"),
        };
        if (f.Has(Fault.ImageCriticalCve) && service == "backend")
            vulns.Add(Vuln("CVE-2024-5535", "libssl3", "3.0.11-1~deb12u2", "3.0.14-1~deb12u1", "CRITICAL"));
        return OperationsArtefacts.Json(new
        {
            SchemaVersion = 2,
            ArtifactName = $"registry.example.com/thebot-{service}:1.0.0",
            ArtifactType = "container_image",
            Results = new object[]
            {
                new { Target = $"registry.example.com/thebot-{service}:1.0.0 (debian 12.8)", Class = "os-pkgs", Type = "debian", Vulnerabilities = vulns },
            },
        });
    }

    private static object Vuln(string id, string pkg, string installed, string fixedVersion, string severity) => new
    {
        VulnerabilityID = id,
        PkgName = pkg,
        InstalledVersion = installed,
        FixedVersion = fixedVersion,
        Severity = severity,
        Title = $"{pkg}: {id}",
    };
}
