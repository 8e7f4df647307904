using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Shipping;

/// <summary>One entry of the shipper's queue: an exec or a process end, kept in the order they were written.</summary>
internal readonly record struct OutgoingItem(ExecEvent? Exec, ProcessExitMessage? Exit);
