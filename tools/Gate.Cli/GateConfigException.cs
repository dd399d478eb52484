namespace Gate.Cli;

/// <summary>A usage or configuration problem: printed as one line, exit code 2.</summary>
public sealed class GateConfigException(string message) : Exception(message);
