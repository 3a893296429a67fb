using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Z3;

namespace DeepLinearProofs.Worker;

/// <summary>
/// libz3 through the static <c>Microsoft.Z3.Native</c> string interface (the object API does not work with
/// Debian's libz3 4.8.12). libz3 is looked up as libz3.so.4 as well as libz3.so.
/// </summary>
public static class Z3Text
{
    private static readonly Lazy<string?> Probe = new(ProbeLibrary);
    private static readonly Native.Z3_error_handler IgnoreErrors = (_, _) => { };

    static Z3Text()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver was already set for this assembly; keep it.
        }
    }

    /// <summary>Null when libz3 loads; otherwise the install hint.</summary>
    public static string? Unavailable => Probe.Value;

    /// <summary>The libz3 version, e.g. "4.8.12".</summary>
    public static string Version
    {
        get
        {
            uint major = 0, minor = 0, build = 0, revision = 0;
            Native.Z3_get_version(ref major, ref minor, ref build, ref revision);
            return $"{major}.{minor}.{build}";
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (!name.Contains("z3", StringComparison.OrdinalIgnoreCase)) return IntPtr.Zero;
        foreach (var candidate in new[] { "libz3.so.4", "libz3.so", name })
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        return IntPtr.Zero;
    }

    private static string? ProbeLibrary()
    {
        try
        {
            _ = Version;
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            return "libz3 (libz3.so.4) is not installed: run 'apt-get install -y libz3-4'";
        }
    }

    /// <summary>
    /// Runs the script in a fresh context and returns Z3's text: (get-model) only after sat (asking after unsat
    /// is an error), (get-info :reason-unknown) after unknown. Errors are in the text, never thrown.
    /// </summary>
    public static string Run(string script)
    {
        var cfg = Native.Z3_mk_config();
        var ctx = Native.Z3_mk_context(cfg);
        Native.Z3_del_config(cfg);
        // Z3's default error handler exits the process; record errors in the output instead.
        Native.Z3_set_error_handler(ctx, IgnoreErrors);
        try
        {
            var body = script.Replace("(get-model)", "", StringComparison.Ordinal)
                .Replace("(get-info :reason-unknown)", "", StringComparison.Ordinal);
            var output = Native.Z3_eval_smtlib2_string(ctx, body);
            var first = output.TrimStart();
            if (first.StartsWith("sat", StringComparison.Ordinal)) output += Native.Z3_eval_smtlib2_string(ctx, "(get-model)");
            else if (first.StartsWith("unknown", StringComparison.Ordinal)) output += Native.Z3_eval_smtlib2_string(ctx, "(get-info :reason-unknown)");
            return output;
        }
        catch (Z3Exception e)
        {
            return $"(error \"z3 failed: {e.Message.Replace("\"", "'")}\")\n";
        }
        finally
        {
            Native.Z3_del_context(ctx);
        }
    }
}
