// The harness moved to PostureSense.TestSupport.Server (a global using of this project);
// this declaration keeps the namespace for test files that still import it.
namespace PostureSense.Server.Tests.Support;
