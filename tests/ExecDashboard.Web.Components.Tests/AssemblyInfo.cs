// The dashboard runs on Linux only (Unix file modes for its secrets); so do its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
