namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>A scenario file that cannot be used; the message is one line naming the file and the place.</summary>
public sealed class ScenarioException(string message, Exception? innerException = null) : Exception(message, innerException);
