// The dashboard serves a Linux audit pipeline and relies on Unix file modes for its secrets.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
