// The dashboard and its browser run on Linux; one browser test at a time keeps the 2-core machine responsive.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
