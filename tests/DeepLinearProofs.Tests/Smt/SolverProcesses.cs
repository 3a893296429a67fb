using System.Globalization;

namespace DeepLinearProofs.Tests.Smt;

/// <summary>Finds z3 worker processes started by a given parent (they carry "--parent PID" on their command line).</summary>
internal static class SolverProcesses
{
    public static IReadOnlyList<int> WorkersOf(int parent)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string[] args;
            try { args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0'); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            int i = Array.IndexOf(args, "--parent");
            if (i > 0 && i + 1 < args.Length && args.Any(a => a.EndsWith("DeepLinearProofs.Z3Worker.dll", StringComparison.Ordinal))
                && args[i + 1] == parent.ToString(CultureInfo.InvariantCulture))
                found.Add(pid);
        }
        return found;
    }
}
