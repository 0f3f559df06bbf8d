namespace PostureSense.Storage.History;

/// <summary>Durations as a wearer reads them: "45 min", "1 h 12 min", "&lt;1 min".</summary>
public static class Durations
{
    public static string Text(double minutes) => minutes < 1 && minutes > 0
        ? "<1 min"
        : minutes >= 60 ? $"{(int)(minutes / 60)} h {(int)Math.Round(minutes % 60)} min" : $"{Math.Round(minutes):0} min";
}
