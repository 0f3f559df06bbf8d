using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. --filter '*WireFormat*'; --job short for a quick look.
BenchmarkSwitcher.FromAssembly(typeof(PostureSense.Benchmarks.WireFormatBenchmarks).Assembly).Run(args);
