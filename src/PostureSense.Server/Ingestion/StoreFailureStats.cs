using PostureSense.Storage;
using PostureSense.Storage.DeadLetters;
using PostureSense.Server.Metrics;

namespace PostureSense.Server.Ingestion;

/// <summary>Shows the store's failed writes in <c>/api/stats</c>, among ingestion's other failures.</summary>
public sealed class StoreFailureStats(IngestionStats stats) : IStoreObserver
{
    public void WriteFailed(StoreWriteFailure failure) =>
        stats.Fail(RejectionReasons.StoreFailed, failure.Error.Message, failure.What, failure.Ts);

    public void WriteDeadLettered(DeadLetter letter, long kept) =>
        stats.DeadLetter(letter.Reason, letter.Error, letter.DeviceId, letter.Ts);
}
