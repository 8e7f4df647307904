// The dashboard and these tests run on Linux only (Unix file modes, the audit subsystem).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
