using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using ExecDashboard.Web.Configuration;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// The server's list of live logins, so that a login cookie can be ended: logout removes its
/// entry, and a cookie whose entry is gone (or expired) is refused even though it still decrypts.
/// Kept in an owner-only file in the data folder, so a restart with the same token keeps people
/// logged in; a new token ends every login through <see cref="TokenFingerprint"/> instead.
/// </summary>
public sealed class LoginRegistry
{
    /// <summary>How long a login lasts from the moment the token was presented; use does not extend it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3);

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiry = new(StringComparer.Ordinal);
    private readonly Lock _fileLock = new();
    private readonly string _file;
    private readonly TimeProvider _time;

    public LoginRegistry(DashboardPaths paths, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _file = Path.Combine(paths.DataDirectory, "logins.json");
        _time = time;
        Load();
    }

    /// <summary>Records a new login and returns its id (random, for the cookie) and its end.</summary>
    public (string Id, DateTimeOffset Expires) Begin()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = _time.GetUtcNow() + Lifetime;
        _expiry[id] = expires;
        Save();
        return (id, expires);
    }

    public bool IsLive(string? id) =>
        id is not null && _expiry.TryGetValue(id, out var expires) && expires > _time.GetUtcNow();

    /// <summary>Ends one login (logout); a no-op for an unknown id.</summary>
    public void End(string? id)
    {
        if (id is not null && _expiry.TryRemove(id, out _))
        {
            Save();
        }
    }

    private void Load()
    {
        try
        {
            if (!File.Exists(_file))
            {
                return;
            }

            var stored = JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(File.ReadAllText(_file)) ?? [];
            var now = _time.GetUtcNow();
            foreach (var (id, expires) in stored)
            {
                if (expires > now)
                {
                    _expiry[id] = expires;
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable list ends every login (people open the login link again); it is rewritten at the next login.
        }
    }

    private void Save()
    {
        lock (_fileLock)
        {
            var now = _time.GetUtcNow();
            var live = _expiry.Where(e => e.Value > now).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            var temp = _file + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            using (var stream = new FileStream(temp, create))
            {
                JsonSerializer.Serialize(stream, live);
            }

            File.Move(temp, _file, overwrite: true);
        }
    }
}
