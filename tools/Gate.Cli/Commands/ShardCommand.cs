using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using Gate.Cli.Inputs;

namespace Gate.Cli.Commands;

/// <summary><c>shard --index i --count n --suite S</c>: a <c>dotnet test --filter</c> expression for
/// shard i (0-based) of n. A check belongs to shard <c>FNV-1a-64(ID) mod n</c>: stable across runs,
/// machines and .NET versions, and a check never moves when others are added or removed.</summary>
public static class ShardCommand
{
    public static int Run(Args a, TextWriter stdout, TextWriter stderr)
    {
        var count = a.Int("count");
        var index = a.Int("index");
        var suite = a.Require("suite");
        var manifest = a.Get("manifest");
        var assembly = a.Get("assembly");
        var results = a.Get("results");
        a.RejectUnknown();
        if (count < 1) throw new GateConfigException("shard: --count must be at least 1");
        if (index < 0 || index >= count) throw new GateConfigException($"shard: --index must be 0..{count - 1} (0-based), not {index}");
        if (new[] { manifest, assembly, results }.Count(x => x is not null) > 1)
            throw new GateConfigException("shard: give at most one of --manifest, --assembly, --results");

        var (ids, source) = manifest is not null ? (FromManifest(manifest), manifest)
            : results is not null ? (FromManifest(Path.Combine(results, "manifest", $"{suite}.json")), Path.Combine(results, "manifest", $"{suite}.json"))
            : assembly is not null ? (FromAssembly(assembly), assembly)
            : DefaultAssembly(suite);
        if (ids.Count == 0) throw new GateConfigException($"shard: {source} declares no check");

        var mine = Select(ids, index, count);
        stderr.WriteLine($"gate-cli: shard {index}/{count} of {suite}: {mine.Count} of {ids.Count} checks (from {source})");
        if (mine.Count == 0)
        {
            stderr.WriteLine($"gate-cli: shard {index}/{count} of {suite} selects no check: run fewer shards, or skip this one (exit 4)");
            return Program.EmptyShard;
        }
        stdout.WriteLine(Filter(mine));
        return 0;
    }

    /// <summary>The check IDs of shard <paramref name="index"/> of <paramref name="count"/>, sorted.</summary>
    public static IReadOnlyList<string> Select(IEnumerable<string> ids, int index, int count) =>
        ids.Distinct().Where(id => (int)(Fnv1a(id) % (ulong)count) == index).Order(StringComparer.Ordinal).ToList();

    /// <summary>VSTest filter on the Check trait the [Check] attribute sets.</summary>
    public static string Filter(IEnumerable<string> ids) => string.Join("|", ids.Select(id => $"Check={id}"));

    public static ulong Fnv1a(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(s)) { h ^= b; h *= 1099511628211UL; }
        return h;
    }

    public static IReadOnlyList<string> FromManifest(string path)
    {
        if (!File.Exists(path)) throw new GateConfigException($"shard: manifest not found: {path}");
        return Manifest.Load(path).Checks.Select(c => c.Id).Distinct().ToList();
    }

    /// <summary>Reads [Check("ID", ...)] / [CheckTheory("ID", ...)] usages from the assembly's metadata
    /// without loading it (no dependencies needed): the first constructor argument is the ID.</summary>
    public static IReadOnlyList<string> FromAssembly(string path)
    {
        if (!File.Exists(path)) throw new GateConfigException($"shard: assembly not found: {path}");
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata) throw new GateConfigException($"shard: {path} is not a .NET assembly");
        var md = pe.GetMetadataReader();
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in md.CustomAttributes)
        {
            var attr = md.GetCustomAttribute(handle);
            if (attr.Parent.Kind != HandleKind.MethodDefinition) continue;
            if (AttributeTypeName(md, attr) is not ("CheckAttribute" or "CheckTheoryAttribute")) continue;
            var blob = md.GetBlobReader(attr.Value);
            if (blob.Length < 3 || blob.ReadUInt16() != 1) continue;
            var id = blob.ReadSerializedString();
            if (id is not null && CheckName.IdPattern().IsMatch(id)) ids.Add(id);
        }
        return ids.ToList();
    }

    private static string? AttributeTypeName(MetadataReader md, CustomAttribute attr)
    {
        EntityHandle type = attr.Constructor.Kind switch
        {
            HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)attr.Constructor).Parent,
            HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)attr.Constructor).GetDeclaringType(),
            _ => default,
        };
        return type.Kind switch
        {
            HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)type).Name),
            HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)type).Name),
            _ => null,
        };
    }

    private static (IReadOnlyList<string>, string) DefaultAssembly(string suite)
    {
        var root = Program.RepoRoot() ?? Directory.GetCurrentDirectory();
        var names = new[] { suite, $"Gate.{suite}", $"Gate.Tests.{suite}" };
        foreach (var project in names)
        {
            var dir = Path.Combine(root, "artifacts", "bin", project, "debug");
            if (!Directory.Exists(dir)) continue;
            // The suite's test executable is the assembly with a runtimeconfig; libraries beside it
            // (the load engine's Gate.Load.dll next to Gate.LoadSuite.dll) have none.
            var exe = Directory.GetFiles(dir, "*.runtimeconfig.json")
                .Select(f => f[..^".runtimeconfig.json".Length] + ".dll")
                .FirstOrDefault(File.Exists);
            if (exe is not null) return (FromAssembly(exe), exe);
        }
        throw new GateConfigException($"shard: no built assembly for suite {suite} under {Path.Combine(root, "artifacts", "bin")}/<{string.Join("|", names)}>/debug: build first or pass --assembly/--manifest");
    }
}
