namespace PostureSense.Server.Configuration;

/// <summary>A setting the server cannot run with; the message is one line meant for the person who set it.</summary>
public sealed class OptionsException(string message) : Exception(message);
