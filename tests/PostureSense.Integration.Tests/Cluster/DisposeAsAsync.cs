namespace PostureSense.Integration.Tests.Cluster;

/// <summary>A disposable among the async ones a cluster of test servers owns, disposed in its turn.</summary>
sealed class DisposeAsAsync(IDisposable inner) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        inner.Dispose();
        return ValueTask.CompletedTask;
    }
}
