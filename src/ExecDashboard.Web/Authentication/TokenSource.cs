using System.Security.Cryptography;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// Loads a token from an environment variable, else from a file readable only by its owner,
/// else generates one into that file (the Jupyter and Aspire dashboard scheme).
/// </summary>
public static class TokenSource
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static AccessToken Load(string environmentVariable, string file)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new AccessToken(fromEnvironment.Trim(), $"environment variable {environmentVariable}");
        }

        if (File.Exists(file))
        {
            // A token others can read is no secret: tighten it rather than trust it silently.
            if ((File.GetUnixFileMode(file) & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }

            var stored = File.ReadAllText(file).Trim();
            if (stored.Length > 0)
            {
                return new AccessToken(stored, $"file {file}");
            }
        }

        var generated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        using (var writer = new StreamWriter(file, create))
        {
            writer.WriteLine(generated);
        }

        File.SetUnixFileMode(file, OwnerOnly);
        return new AccessToken(generated, $"file {file} (generated)");
    }
}
