namespace PostureSense.Mqtt.Tests.Support;

static class Eventually
{
    /// <summary>Waits for a condition; the timeout is generous because it only bounds a failure.</summary>
    public static async Task True(Func<bool> condition, string what, Func<string>? context = null, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}{(context is null ? "" : ":\n" + context())}");
            await Task.Delay(20);
        }
    }
}
