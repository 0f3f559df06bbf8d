namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>How a wearer slouches; each moves the upper back its own way around the segment's pitch.</summary>
public enum SlouchStyle
{
    /// <summary>Just the segment's pitch and the ordinary sway.</summary>
    None,
    /// <summary>The upper back rounds over the desk: its pitch rises and falls a little with each breath.</summary>
    Thoracic,
    /// <summary>The whole trunk leans forward from the hips, reaching to the desk now and then.</summary>
    Hips,
    /// <summary>Propped on the left elbow: the trunk leans left (roll -14° added) and sways more sideways.</summary>
    ElbowLeft,
    /// <summary>Propped on the right elbow: roll +14° added.</summary>
    ElbowRight,
}
