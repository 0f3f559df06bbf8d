using System.Runtime.InteropServices;

namespace PostureSense.Agent.Clock;

/// <summary>
/// The Pi's own answer: systemd-timesyncd's flag file, or else the kernel's time status, which
/// every time daemon (timesyncd, chrony, ntpd) clears of "unsynchronized" once it has set the clock.
/// Off Linux there is no way to ask, and the clock is trusted.
/// </summary>
public sealed class KernelClockSync : IClockSync
{
    /// <summary>Written by systemd-timesyncd once it has synchronized the clock.</summary>
    public const string TimesyncFlag = "/run/systemd/timesync/synchronized";

    /// <summary>adjtimex's answer while the kernel's STA_UNSYNC is set.</summary>
    const int TimeError = 5;

    /// <summary>Room for struct timex on 32 and 64 bit (208 bytes on arm64); all zero asks and changes nothing.</summary>
    const int TimexBytes = 256;

    public bool IsSynchronized => !OperatingSystem.IsLinux() || File.Exists(TimesyncFlag) || KernelSaysSynchronized();

    static bool KernelSaysSynchronized()
    {
        var timex = new byte[TimexBytes];
        try
        {
            // A call that fails (-1) tells nothing: the clock is trusted, as off Linux.
            return Adjtimex(timex) != TimeError;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

    [DllImport("libc", EntryPoint = "adjtimex")]
    static extern int Adjtimex([In, Out] byte[] timex);
}
