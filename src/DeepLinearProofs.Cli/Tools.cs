namespace DeepLinearProofs.Cli;

/// <summary>Where the helper tools shipped with the repository live.</summary>
public static class Tools
{
    /// <summary>tools/z3-wasm of the checkout (found upwards from the working directory or the binary).</summary>
    public static string Z3WasmDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "z3-wasm");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "tools", "z3-wasm");
    }
}
