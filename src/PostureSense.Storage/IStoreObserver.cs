using PostureSense.Storage.DeadLetters;

namespace PostureSense.Storage;

/// <summary>
/// Told of store failures as they happen, so whoever shows an operator the server's health (the
/// server's <c>/api/stats</c>) learns of them without the stores knowing who that is.
/// </summary>
public interface IStoreObserver
{
    /// <summary>A write failed; <see cref="RetryingStore"/> tries it again after <see cref="StoreWriteFailure.RetryIn"/>.</summary>
    void WriteFailed(StoreWriteFailure failure);

    /// <summary>A write that can never succeed was set aside as <paramref name="letter"/> instead of retried.</summary>
    /// <param name="kept">How many dead letters are kept now.</param>
    void WriteDeadLettered(DeadLetter letter, long kept) { }
}

/// <param name="What">The write, for people: "a batch of 12 messages", "prompt for dev-1".</param>
/// <param name="Attempt">Which attempt failed, from 1.</param>
/// <param name="Ts">When it failed, Unix ms on the store's clock.</param>
public sealed record StoreWriteFailure(string What, int Attempt, Exception Error, TimeSpan RetryIn, long Ts);
