using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Z3;

namespace DeepLinearProofs.Smt;

/// <summary>
/// Z3 in process through the static <c>Microsoft.Z3.Native</c> string interface (the object API does
/// not work with Debian's libz3 4.8.12: see ENGINEERING.md). One context per check; cancellation
/// calls Z3_interrupt. libz3 is looked up as libz3.so.4 as well as libz3.so.
/// </summary>
public sealed class Z3InProcess : ISolver
{
    private static readonly Lazy<string?> Probe = new(ProbeLibrary);

    static Z3InProcess()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver was already set for this assembly (e.g. by the host); keep it.
        }
    }

    private static readonly Native.Z3_error_handler IgnoreErrors = (_, _) => { };

    public string Name => "z3";

    public string? Unavailable => Probe.Value;

    /// <summary>The libz3 version, e.g. "4.8.12", or null when unavailable.</summary>
    public static string? Version
    {
        get
        {
            if (Probe.Value is not null) return null;
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
            uint a = 0, b = 0, c = 0, d = 0;
            Native.Z3_get_version(ref a, ref b, ref c, ref d);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            return "libz3 (libz3.so.4) is not installed: run 'apt-get install -y libz3-4'";
        }
    }

    public SolverAnswer Check(string script, TimeSpan timeout, CancellationToken cancel = default)
    {
        if (Unavailable is { } why) return new SolverAnswer.Unknown(why);
        var cfg = Native.Z3_mk_config();
        var ctx = Native.Z3_mk_context(cfg);
        Native.Z3_del_config(cfg);
        // Z3's default error handler exits the process; record errors in the output instead.
        Native.Z3_set_error_handler(ctx, IgnoreErrors);
        try
        {
            using var registration = cancel.Register(() => Native.Z3_interrupt(ctx));
            var ms = (long)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
            // (get-model) only after sat: asking for a model after unsat is an error in Z3.
            var body = script.Replace("(get-model)", "", StringComparison.Ordinal);
            var output = Native.Z3_eval_smtlib2_string(ctx, $"(set-option :timeout {ms})\n" + body);
            var first = output.TrimStart();
            if (first.StartsWith("sat", StringComparison.Ordinal)) output += Native.Z3_eval_smtlib2_string(ctx, "(get-model)");
            else if (first.StartsWith("unknown", StringComparison.Ordinal)) output += Native.Z3_eval_smtlib2_string(ctx, "(get-info :reason-unknown)");
            if (cancel.IsCancellationRequested) return new SolverAnswer.Unknown("cancelled");
            return SolverAnswer.Parse(output);
        }
        catch (Z3Exception e)
        {
            return new SolverAnswer.Unknown($"z3 failed: {e.Message}");
        }
        finally
        {
            Native.Z3_del_context(ctx);
        }
    }
}
