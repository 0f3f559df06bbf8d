using Microsoft.Extensions.Logging;
using PostureSense.Server.Workers;

namespace PostureSense.Server.Ingestion;

/// <summary>The storing loop of <see cref="IngestionQueue"/>: store, then acknowledge, in order.</summary>
public sealed class IngestionStoreWorker(IngestionQueue queue, WorkerHealth health, WorkerRestart restart, ILogger<IngestionStoreWorker> log)
    : SupervisedWorker("ingestion-store", health, restart, log)
{
    protected override Task RunAsync(CancellationToken stoppingToken) => queue.RunStoringAsync(stoppingToken);
}

/// <summary>The coaching loop of <see cref="IngestionQueue"/>: detectors and prompts after each stored batch.</summary>
public sealed class IngestionCoachWorker(IngestionQueue queue, WorkerHealth health, WorkerRestart restart, ILogger<IngestionCoachWorker> log)
    : SupervisedWorker("ingestion-coach", health, restart, log)
{
    protected override Task RunAsync(CancellationToken stoppingToken) => queue.RunCoachingAsync(stoppingToken);
}
