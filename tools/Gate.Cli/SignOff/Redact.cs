using System.Text.RegularExpressions;

namespace Gate.Cli.SignOff;

/// <summary>Keeps secrets out of every report: evidence values of secret-looking keys,
/// 40-hex tokens and URL passwords in any text.</summary>
public static partial class Redact
{
    public const string Mask = "[REDACTED]";

    [GeneratedRegex("password|secret|token|key|dsn", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"(?<![0-9A-Fa-f])[0-9A-Fa-f]{40}(?![0-9A-Fa-f])")]
    private static partial Regex HexToken();

    // scheme://user:password@host -> scheme://user:[REDACTED]@host
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^:/@\s]*):(?<pw>[^@/\s]+)@")]
    private static partial Regex UrlPassword();

    /// <summary>True when an evidence key names a secret (password, secret, token, key, dsn).</summary>
    public static bool IsSecretKey(string key) => SecretKey().IsMatch(key);

    /// <summary>The value to show for an evidence entry.</summary>
    public static string EvidenceValue(string key, string value) =>
        IsSecretKey(key) ? Mask : Text(value)!;

    /// <summary>Masks 40-hex tokens and URL passwords in free text (messages, output, evidence).</summary>
    public static string? Text(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var s = HexToken().Replace(text, Mask);
        return UrlPassword().Replace(s, m => $"{m.Groups["scheme"].Value}{m.Groups["user"].Value}:{Mask}@");
    }
}
