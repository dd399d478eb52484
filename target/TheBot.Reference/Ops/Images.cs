using System.Text.Json.Nodes;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Ops;

/// <summary>Trivy JSON reports for the release's images, and the image faults that bend the platform's image-inspect JSON.</summary>
public static class Images
{
    /// <summary>image-secret-env: secrets baked into the backend's ENV and a LABEL; image-latest-tag: images tagged latest.</summary>
    public static string Bend(string json, string service, FaultSet f)
    {
        if (!f.Has(Fault.ImageSecretEnv) && !f.Has(Fault.ImageLatestTag)) return json;
        var root = JsonNode.Parse(json)!.AsArray();
        var image = root[0]!.AsObject();
        if (f.Has(Fault.ImageSecretEnv) && service == "backend")
        {
            var config = image["Config"]!.AsObject();
            var env = config["Env"]!.AsArray();
            env.Add("SECRET_KEY=k3v9!x2m#q8w@p1z$r7t^y4u&i6o*a0s(d5f)g-h_j=l+c");
            env.Add("DATABASE_URL=postgresql://thebot:Sup3rS3cretPw@db.internal:5432/thebot_prod");
            config["Labels"]!.AsObject()["build.telegram_bot_token"] = "7012345678:AAF1x9mQ2vZ8kL3nR5tY7uI0oP4aS6dF8gH";
        }
        if (f.Has(Fault.ImageLatestTag))
        {
            var tags = image["RepoTags"]!.AsArray();
            var latest = tags.Select(t => t!.GetValue<string>()).Select(t => t[..t.LastIndexOf(':')] + ":latest").ToList();
            tags.Clear();
            foreach (var t in latest) tags.Add(t);
        }
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
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
