namespace ExecDashboard.Web.Storage;

/// <summary>An argument list's row id in <c>texts</c> (its JSON text, <see cref="ArgvJson"/>) and the instance events share.</summary>
internal readonly record struct SharedArgv(long Id, IReadOnlyList<string> Argv);
