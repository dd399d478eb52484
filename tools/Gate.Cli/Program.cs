using Gate.Cli.Commands;

namespace Gate.Cli;

public static class Program
{
    public const int Ship = 0, DoNotShip = 1, Usage = 2, NoTests = 3, EmptyShard = 4;

    public const string Help = """
        gate-cli: release sign-off for the THE_BOT deployment gate

          gate-cli report  --results <dir> [--catalog checklist/catalog.yaml] [--waivers waivers.yaml]
                           [--out <dir>] [--today yyyy-MM-dd] [--allow-uncovered]
              Sign-off from trx + manifests + evidence + catalog + waivers. Writes signoff.html, summary.md,
              signoff.md, junit.xml and signoff.json to --out (default <results>/signoff) and appends
              the Markdown summary to $GITHUB_STEP_SUMMARY when set.
              --results defaults to $GATE_RESULTS_DIR. Exit 0 SHIP, 1 DO NOT SHIP, 2 usage/config error.
          gate-cli verdict --results <dir> [same options as report, without --out]
              The verdict table (section, item, status, checks) on the console. Same exit codes.
          gate-cli summary <dir>
              One line "P passed, F failed, S skipped" from the trx <Counters> in <dir>.
              Exit 3 when no test ran, 2 when <dir> does not exist, 0 otherwise.
          gate-cli merge --out <dir> <dir1> <dir2> ...
              Merges shard results folders into one (trx per suite, manifests, evidence, attachments;
              a shard's own signoff/ folder is left out).
          gate-cli validate
              Binds the GATE_* settings as the suites will; one line naming the variable on a mistake (exit 2),
              else one line saying what the gate will check.
          gate-cli shard --index i --count n --suite <name> [--manifest <file> | --assembly <dll> | --results <dir>]
              Prints a `dotnet test --filter` expression selecting shard i (0-based) of n of the suite's
              check IDs (stable FNV-1a hash of the ID). Check IDs come from the manifest or the built
              test assembly (default: artifacts/bin/<Suite>/debug). Exit 4 when the shard is empty.

        Defaults are found from the current directory upwards (the folder holding checklist/catalog.yaml).
        """;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                stdout.WriteLine(Help);
                return args.Length == 0 ? Usage : 0;
            }
            var rest = args.Skip(1);
            return args[0] switch
            {
                "report" => ReportCommand.Run(new Args("report", rest, ReportCommand.Flags), stdout, stderr, writeFiles: true),
                "verdict" => ReportCommand.Run(new Args("verdict", rest, ReportCommand.Flags), stdout, stderr, writeFiles: false),
                "summary" => SummaryCommand.Run(new Args("summary", rest, new HashSet<string>()), stdout, stderr),
                "merge" => MergeCommand.Run(new Args("merge", rest, new HashSet<string>()), stdout, stderr),
                "shard" => ShardCommand.Run(new Args("shard", rest, new HashSet<string>()), stdout, stderr),
                "validate" => ValidateCommand.Run(stdout),
                _ => throw new GateConfigException($"unknown command '{args[0]}' (commands: report, verdict, summary, merge, shard, validate; see gate-cli help)"),
            };
        }
        catch (GateConfigException e)
        {
            stderr.WriteLine($"gate-cli: error: {e.Message}");
            return Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"gate-cli: error: {e.Message}");
            return Usage;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"gate-cli: error: unexpected {e.GetType().Name}: {e.Message}");
            return Usage;
        }
    }

    /// <summary>The repository root: the nearest folder (from the current directory up) holding checklist/catalog.yaml.</summary>
    public static string? RepoRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "checklist", "catalog.yaml"))) return d.FullName;
        return null;
    }
}
