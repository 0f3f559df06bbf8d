namespace PostureSense.Core.Configuration;

/// <summary>A setting a PostureSense program cannot run with; the message is one line meant for the person who set it.</summary>
public sealed class OptionsException(string message) : Exception(message);
