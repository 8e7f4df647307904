namespace ExecDashboard.Web.Storage;

/// <summary>One host of the host facet: its name and how many execs of the view are its.</summary>
public sealed record HostCount(string Host, long Execs);
