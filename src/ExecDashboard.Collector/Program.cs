using ExecDashboard.Collector.Hosting;

return await CollectorHost.RunAsync(args);
