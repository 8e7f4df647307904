using ExecDashboard.Sources.Interop;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// Request/response over a NETLINK_AUDIT socket: status (AUDIT_GET/AUDIT_SET) and rules
/// (AUDIT_ADD_RULE/AUDIT_DEL_RULE/AUDIT_LIST_RULES). Calls are serialized; each needs
/// CAP_AUDIT_CONTROL. Failures throw <see cref="SystemCallException"/> naming the request.
/// </summary>
public sealed class AuditControlSocket : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    private readonly NetlinkSocket _socket;
    private readonly bool _ownsSocket;
    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private uint _sequence;

    private AuditControlSocket(NetlinkSocket socket, bool ownsSocket)
    {
        _socket = socket;
        _ownsSocket = ownsSocket;
    }

    /// <summary>Receives records that arrive on a daemon socket while it waits for a reply.</summary>
    internal delegate void StrayRecordSink(ushort type, ReadOnlySpan<byte> payload);

    /// <summary>Where records that arrive between replies go; null drops them (only a daemon socket gets any).</summary>
    internal StrayRecordSink? StrayRecords { get; set; }

    public static AuditControlSocket Open()
    {
        var socket = NetlinkSocket.Open(NetlinkFamily.Audit);
        try
        {
            socket.SetReceiveTimeout(ReplyTimeout);
            return new AuditControlSocket(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Speaks the control protocol over a socket owned elsewhere: AUDIT_SET with our pid must be
    /// sent from the socket that will receive the records, because the kernel delivers to the
    /// sender's port (kernel/audit.c, auditd_set).
    /// </summary>
    internal static AuditControlSocket Over(NetlinkSocket socket) => new(socket, ownsSocket: false);

    public AuditStatus GetStatus()
    {
        AuditStatus? status = null;
        Exchange(AuditProtocol.AUDIT_GET, [], "AUDIT_GET", acknowledge: false, (in NetlinkMessage reply) =>
        {
            if (reply.Type != AuditProtocol.AUDIT_GET)
            {
                return false;
            }

            status = AuditStatus.Parse(reply.Payload);
            return true;
        });
        return status!.Value;
    }

    public void SetStatus(AuditStatusChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Span<byte> payload = stackalloc byte[AuditStatus.Size];
        change.WriteTo(payload);
        Exchange(AuditProtocol.AUDIT_SET, payload, "AUDIT_SET", acknowledge: true, static (in NetlinkMessage _) => false);
    }

    public void AddRule(AuditRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Exchange(AuditProtocol.AUDIT_ADD_RULE, rule.Data, "AUDIT_ADD_RULE", acknowledge: true, static (in NetlinkMessage _) => false);
    }

    public void DeleteRule(AuditRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Exchange(AuditProtocol.AUDIT_DEL_RULE, rule.DataForDeletion, "AUDIT_DEL_RULE", acknowledge: true, static (in NetlinkMessage _) => false);
    }

    /// <summary>Every syscall rule the kernel holds, on every list, in list order.</summary>
    public IReadOnlyList<AuditRule> ListRules()
    {
        var rules = new List<AuditRule>();
        Exchange(AuditProtocol.AUDIT_LIST_RULES, [], "AUDIT_LIST_RULES", acknowledge: false, (in NetlinkMessage reply) =>
        {
            if (reply.Type == NetlinkProtocol.NLMSG_DONE)
            {
                return true;
            }

            if (reply.Type == AuditProtocol.AUDIT_LIST_RULES)
            {
                rules.Add(AuditRule.Parse(reply.Payload)
                    ?? throw new SystemCallException("recv(AUDIT_LIST_RULES) returned a rule shorter than struct audit_rule_data."));
            }

            return false;
        });
        return rules;
    }

    public void Dispose()
    {
        if (_ownsSocket)
        {
            _socket.Dispose();
        }
    }

    private delegate bool ReplyHandler(in NetlinkMessage reply);

    /// <summary>
    /// Sends one request and reads until <paramref name="onReply"/> says the answer is complete or,
    /// for acknowledged requests, the ack for our sequence number arrives. Replies are sent by a
    /// kernel thread for AUDIT_GET and AUDIT_LIST_RULES (kernel/audit.c, audit_send_reply and
    /// audit_send_list_thread), so they may come after the ack: such requests go without NLM_F_ACK.
    /// </summary>
    private void Exchange(ushort type, ReadOnlySpan<byte> payload, string what, bool acknowledge, ReplyHandler onReply)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            var request = new byte[NetlinkProtocol.Align(NetlinkProtocol.HeaderSize + payload.Length)];
            var flags = (ushort)(NetlinkProtocol.NLM_F_REQUEST | (acknowledge ? NetlinkProtocol.NLM_F_ACK : 0));
            NetlinkProtocol.WriteRequest(request, type, flags, sequence, payload);
            _socket.Send(request, what);

            while (true)
            {
                var length = _socket.Receive(_buffer);
                if (length < 0)
                {
                    if (-length is Errno.EINTR or Errno.ENOBUFS)
                    {
                        continue;
                    }

                    throw new SystemCallException($"recv({what})", -length);
                }

                var reader = new NetlinkMessageReader(_buffer.AsSpan(0, length));
                while (reader.TryRead(out var message))
                {
                    if (message.Type >= AuditProtocol.AUDIT_FIRST_USER_MSG)
                    {
                        StrayRecords?.Invoke(message.Type, message.Payload);
                        continue;
                    }

                    if (message.Sequence != sequence)
                    {
                        continue; // a late answer to an earlier request that timed out
                    }

                    if (message.Type == NetlinkProtocol.NLMSG_ERROR)
                    {
                        if (message.ErrorCode < 0)
                        {
                            throw new SystemCallException(what, -message.ErrorCode);
                        }

                        if (acknowledge)
                        {
                            return;
                        }

                        continue;
                    }

                    if (onReply(message))
                    {
                        return;
                    }
                }
            }
        }
    }
}
