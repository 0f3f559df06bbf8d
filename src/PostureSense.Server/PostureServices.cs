using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Alerts;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Server.History;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server;

/// <summary>
/// The server's services as the web part sees them: the JSON API maps them to routes, and an
/// in-process UI gets each of them from dependency injection.
/// </summary>
public sealed record PostureServices(
    ServerOptions Options,
    TimeProvider Clock,
    IPostureStore Store,
    IngestionStats Stats,
    AccountService Accounts,
    SettingsService Settings,
    DayReports Days,
    DaySummaries Summaries,
    LiveStates Live,
    AlertHub Alerts,
    PromptActions Answers,
    ICommandPublisher Commands);
