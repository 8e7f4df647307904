using BenchmarkDotNet.Running;
using ExecDashboard.Benchmarks.Store;

// "store" runs the end-to-end storage benchmark (deploy/bench-store.sh), "parse" the raw-log import's
// parse side alone (thread CPU and allocation per exec), "lineage" a recorded log's replay lineage
// alone (--log PATH), "ingest" the dashboard's side of a replay (decode, validate, store,
// analytics; thread CPU per exec of each), "fleet" the load generator of many collectors against
// two replicas (deploy/bench-fleet.sh); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "store")
{
    return await StoreBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "parse" && OperatingSystem.IsLinux())
{
    return ExecDashboard.Benchmarks.Import.RawLogParseBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "lineage" && OperatingSystem.IsLinux())
{
    return ExecDashboard.Benchmarks.Lineage.ReplayLineageLogBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "ingest" && OperatingSystem.IsLinux())
{
    return ExecDashboard.Benchmarks.Ingest.IngestBenchmark.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "fleet" && OperatingSystem.IsLinux())
{
    return await ExecDashboard.Benchmarks.Fleet.FleetBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(StoreBenchmark).Assembly).Run(args);
return 0;
