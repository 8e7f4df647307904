using ExecDashboard.Sources.Interop;
using System.Threading.Channels;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// Reads exec records straight from the kernel over NETLINK_AUDIT. It installs its own rules
/// (prepended, tagged with its key), becomes the audit daemon when none is alive or reads the
/// read-only multicast group beside the one that is, and gives back everything it changed when
/// the run ends or the source is disposed (also on process exit).
/// </summary>
public sealed class NetlinkAuditSource : IAuditRecordSource
{
    private readonly NetlinkAuditSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private AuditControlSocket? _control;
    private NetlinkSocket? _receive;
    private KernelAuditLease? _lease;
    private AuditRuleOwnership? _ownership;
    private AuditRecordReceiver? _receiver;
    private bool _started;
    private bool _shutDown;
    private long _statusPollFailures;

    public NetlinkAuditSource(NetlinkAuditSourceOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new NetlinkAuditSourceOptions();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string Name => "netlink";

    public AuditSourceCounters Counters { get; } = new();

    /// <summary>The mode the source runs in once started (Auto resolves to Daemon or Multicast).</summary>
    public NetlinkAuditMode Mode { get; private set; } = NetlinkAuditMode.Auto;

    /// <summary>The audit status as it was before we changed anything.</summary>
    public AuditStatus? StatusAtStart { get; private set; }

    /// <summary>The receive buffer the kernel granted, in bytes.</summary>
    public int ReceiveBufferBytes { get; private set; }

    /// <summary>
    /// False when the configuration was locked, or another live collector owns the rules with our
    /// key; we then read whatever rules were loaded.
    /// </summary>
    public bool InstalledRules { get; private set; }

    /// <summary>Whether we own the rules with our key; null until started, or when the configuration was locked.</summary>
    public AuditRuleOwnershipState? RuleOwnership => _ownership?.State;

    /// <summary>Times the receive socket overflowed (multicast is best effort).</summary>
    public long SocketOverruns => _receiver?.Overruns ?? 0;

    /// <summary>Times reading the kernel's counters failed.</summary>
    public long StatusPollFailures => Interlocked.Read(ref _statusPollFailures);

    /// <inheritdoc />
    /// <remarks>
    /// Setup (status, rules, registration) runs before this method first yields, so when the task
    /// is returned our rules are in place or the task has already faulted. Cancellation ends the
    /// run normally; everything we changed is given back before the writer is completed.
    /// </remarks>
    public async Task RunAsync(ChannelWriter<RawAuditRecordBlock> writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Exception? failure = null;
        using var pollStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = Task.CompletedTask;
        try
        {
            if (!Start(writer))
            {
                return; // disposed before it could start
            }

            using (cancellationToken.Register(() => _receiver!.Stop()))
            {
                poll = Task.Run(() => PollKernelStatusAsync(pollStop.Token), CancellationToken.None);
                await _receiver!.Completion;
            }
        }
        catch (SystemCallException e)
        {
            failure = new AuditSourceException($"Reading kernel audit records failed: {e.Message}.", e);
            throw failure;
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            await pollStop.CancelAsync();
            await poll;
            var errors = ShutDown();
            writer.TryComplete();
            if (failure is null && errors.Count > 0)
            {
                throw CleanupFailed(errors);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        var errors = await Task.Run(ShutDown);
        if (errors.Count > 0)
        {
            throw CleanupFailed(errors);
        }
    }

    private static AuditSourceException CleanupFailed(IReadOnlyList<Exception> errors) => new(
        $"Restoring the kernel audit configuration failed ({errors[0].Message}); check it with auditctl -s and auditctl -l.",
        new AggregateException(errors));

    private static bool IsAlive(uint pid) =>
        LibC.Kill((int)pid, 0) == 0 || System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EPERM;

    private static AuditSourceException Explain(SystemCallException e) => e.Errno switch
    {
        Errno.EPERM or Errno.EACCES => new AuditSourceException(
            "Reading kernel audit events needs root or CAP_AUDIT_CONTROL and CAP_AUDIT_READ; run with sudo.", e),
        Errno.EPROTONOSUPPORT => new AuditSourceException(
            "This kernel has no audit support (CONFIG_AUDIT); read an auditd log with --source file instead.", e),
        Errno.ECONNREFUSED => new AuditSourceException(
            "The kernel audit subsystem is only reachable from the initial user namespace; run the collector on the host, not in a container.", e),
        _ => new AuditSourceException($"Setting up kernel audit failed: {e.Message}.", e),
    };

    /// <summary>Sets everything up; false when the source was disposed first.</summary>
    private bool Start(ChannelWriter<RawAuditRecordBlock> writer)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("A netlink audit source runs once.");
            }

            _started = true;
            if (_shutDown)
            {
                writer.TryComplete();
                return false;
            }

            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("The netlink audit source reads host-endian structs as little-endian.");
            }

            try
            {
                var early = new List<RawAuditRecord>();
                _control = AuditControlSocket.Open();
                var status = _control.GetStatus();
                StatusAtStart = status;
                Counters.SetKernelStatus(status.Lost, status.Backlog);
                _lease = new KernelAuditLease(_control);
                AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

                Mode = ChooseMode(status);
                if (Mode == NetlinkAuditMode.Daemon && !TryBecomeDaemon(status, early))
                {
                    Mode = NetlinkAuditMode.Multicast; // an audit daemon registered between our AUDIT_GET and AUDIT_SET
                }

                if (Mode == NetlinkAuditMode.Multicast)
                {
                    JoinMulticast(status);
                }

                if (!status.IsLocked)
                {
                    InstallRules();
                }

                _receiver = new AuditRecordReceiver(_receive!, Mode == NetlinkAuditMode.Daemon, writer, Counters, early);
                _receiver.Start();
                return true;
            }
            catch (SystemCallException e)
            {
                UndoFailedStart();
                throw Explain(e);
            }
            catch
            {
                UndoFailedStart();
                throw;
            }
        }
    }

    private NetlinkAuditMode ChooseMode(AuditStatus status)
    {
        var ourPid = (uint)Environment.ProcessId;
        var otherDaemon = status.Pid != 0 && status.Pid != ourPid && IsAlive(status.Pid);
        var mode = _options.Mode switch
        {
            NetlinkAuditMode.Auto when otherDaemon || status.IsLocked => NetlinkAuditMode.Multicast,
            NetlinkAuditMode.Auto => NetlinkAuditMode.Daemon,
            var forced => forced,
        };

        if (mode == NetlinkAuditMode.Daemon && otherDaemon)
        {
            throw new AuditSourceException(
                $"Another audit daemon (pid {status.Pid}) is registered with the kernel; stop it or read beside it in multicast mode.");
        }

        if (mode == NetlinkAuditMode.Daemon && status.IsLocked)
        {
            throw new AuditSourceException(
                "The kernel audit configuration is locked (enabled=2) until reboot, so our rules cannot be installed; read beside auditd in multicast mode or reboot.");
        }

        return mode;
    }

    /// <summary>
    /// Registers as the audit daemon: records then come to us by unicast and wait in the kernel's
    /// backlog (not dropped) while we are busy. Returns false if another daemon won the race.
    /// </summary>
    private bool TryBecomeDaemon(AuditStatus status, List<RawAuditRecord> early)
    {
        var ourPid = (uint)Environment.ProcessId;
        OpenReceiveSocket(multicastGroups: 0);
        if (status.Pid == ourPid)
        {
            // An earlier source in this process did not let go (it was never disposed).
            _control!.SetStatus(new AuditStatusChange { Pid = 0 });
        }

        try
        {
            var registration = AuditControlSocket.Over(_receive!);
            registration.StrayRecords = (type, payload) => early.Add(AuditRecordReceiver.Copy(type, payload));
            registration.SetStatus(new AuditStatusChange { Pid = ourPid });
        }
        catch (SystemCallException e) when (e.Errno == Errno.EEXIST && _options.Mode == NetlinkAuditMode.Auto)
        {
            _receive!.Dispose();
            _receive = null;
            return false;
        }

        _lease!.RegisteredAsDaemon();

        // The default backlog (64) overflows within milliseconds of an exec storm. We keep the
        // kernel's backlog_wait_time (60 s by default): when the backlog is full, an exec-ing task
        // waits for room rather than its record being lost (kernel/audit.c, audit_log_start).
        var raiseBacklog = status.BacklogLimit < _options.MinimumBacklogLimit;
        var enable = status.Enabled != 1;
        _lease.ChangeStatus(
            new AuditStatusChange
            {
                Enabled = enable ? 1 : null,
                BacklogLimit = raiseBacklog ? _options.MinimumBacklogLimit : null,
            },
            new AuditStatusChange
            {
                Enabled = enable ? status.Enabled : null,
                BacklogLimit = raiseBacklog ? status.BacklogLimit : null,
            });
        return true;
    }

    private void JoinMulticast(AuditStatus status)
    {
        try
        {
            OpenReceiveSocket(1u << (AuditProtocol.AUDIT_NLGRP_READLOG - 1));
        }
        catch (SystemCallException e) when (e.Errno is Errno.EPERM or Errno.EACCES)
        {
            throw new AuditSourceException(
                "Reading kernel audit events beside a running audit daemon needs CAP_AUDIT_READ; run with sudo.", e);
        }

        if (status.Enabled == 0)
        {
            // The daemon left auditing off; nothing would reach us. Switch it on, and back off at the end.
            _lease!.ChangeStatus(new AuditStatusChange { Enabled = 1 }, new AuditStatusChange { Enabled = 0 });
        }
    }

    private void OpenReceiveSocket(uint multicastGroups)
    {
        _receive = NetlinkSocket.Open(NetlinkFamily.Audit, multicastGroups);
        ReceiveBufferBytes = _receive.SetReceiveBuffer(_options.ReceiveBufferBytes);
        _receive.SetReceiveTimeout(AuditRecordReceiver.WakeInterval);
    }

    /// <summary>
    /// Removes rules of ours a crashed run left behind, then prepends ours; unless another live
    /// collector owns the rules with our key: then they are in use, we read what they make the
    /// kernel send and leave them for their owner to remove.
    /// </summary>
    private void InstallRules()
    {
        _ownership = AuditRuleOwnership.Claim(_options.RuleLockDirectory, _options.RuleKey);
        if (_ownership.State == AuditRuleOwnershipState.HeldByAnother)
        {
            return;
        }

        if (_ownership.State == AuditRuleOwnershipState.Unguarded)
        {
            _options.Warn?.Invoke(
                $"Cannot tell whether another collector uses the audit rules keyed '{_options.RuleKey}' ({_ownership.Reason}); "
                + "treating any as stale and replacing them.");
        }

        foreach (var stale in ExecAuditRules.ListInstalled(_control!, _options.RuleKey))
        {
            _control!.DeleteRule(stale);
        }

        // Each rule goes to the front of the list, so add them last to first to keep their order.
        foreach (var rule in ExecAuditRules.For(_options.RuleKey).Reverse())
        {
            _lease!.AddRule(rule);
        }

        InstalledRules = true;
    }

    private void UndoFailedStart()
    {
        _shutDown = true;
        _lease?.Release();
        _ownership?.Dispose();
        Close();
    }

    private async Task PollKernelStatusAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.StatusPollInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var status = _control!.GetStatus();
                    Counters.SetKernelStatus(status.Lost, status.Backlog);
                }
                catch (Exception e) when (e is SystemCallException or ObjectDisposedException)
                {
                    Interlocked.Increment(ref _statusPollFailures);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => ShutDown();

    /// <summary>Stops receiving and gives back what we changed; runs once, whoever calls first.</summary>
    private IReadOnlyList<Exception> ShutDown()
    {
        lock (_gate)
        {
            if (_shutDown)
            {
                return [];
            }

            _shutDown = true;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            _receiver?.Stop();
            _receiver?.Join(AuditRecordReceiver.WakeInterval * 10);
            var errors = _lease?.Release() ?? [];
            _ownership?.Dispose(); // only once our rules are gone, so a successor never deletes live ones
            Close();
            return errors;
        }
    }

    private void Close()
    {
        _receive?.Dispose();
        _control?.Dispose();
    }
}
