namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>What the wearer does in a segment. Standing still counts as sitting by the rules: only walking breaks a bout.</summary>
public enum Activity
{
    Sit,
    Stand,
    Walk,
}
