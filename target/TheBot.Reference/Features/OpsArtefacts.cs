using TheBot.Reference.Data;
using TheBot.Reference.Platform;

namespace TheBot.Reference.Features;

public static class OpsArtefacts
{
    public static Task WriteAsync(PlatformOptions options, Database db, CancellationToken ct) => Ops.OperationsArtefacts.WriteAsync(options, db, ct);
}
