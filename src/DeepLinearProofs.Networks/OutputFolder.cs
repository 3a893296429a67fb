namespace DeepLinearProofs.Networks;

/// <summary>
/// Checks, before any work, that an output folder (or the folder of an output file) given by a flag can be
/// written; nothing is created: the nearest existing folder gets a probe file that is deleted at once.
/// </summary>
public static class OutputFolder
{
    /// <summary>Null when files can be written in <paramref name="folder"/> (creating it as needed), else the one-line reason.</summary>
    public static string? Problem(string folder, string flag) => Check(folder, flag, folder, "a folder you can write to");

    private static string? Check(string folder, string flag, string shown, string fix)
    {
        string Message(string reason) => $"{flag} {shown}: cannot write output there ({reason}); give {flag} {fix}";
        string full;
        try { full = Path.GetFullPath(folder); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return Message("it is not a valid path"); }
        if (File.Exists(full)) return Message($"{full} is a file, not a folder");
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) return Message($"{existing} is a file, not a folder");
            var parent = Path.GetDirectoryName(existing);
            if (parent is null) return Message("no part of the path exists");
            existing = parent;
        }
        try
        {
            using (File.Create(Path.Combine(existing, $".dlp-write-check-{Guid.NewGuid():N}"), 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Message(e is UnauthorizedAccessException ? $"permission denied in {existing}" : $"{existing} does not accept new files");
        }
    }

    /// <summary>Throws <see cref="NetworkInputException"/> (one line, exit 2 in dlp) unless <paramref name="folder"/> can be written.</summary>
    public static void RequireWritable(string folder, string flag)
    {
        if (Problem(folder, flag) is { } problem) throw new NetworkInputException(problem);
    }

    /// <summary>As <see cref="RequireWritable"/> for an output file: its folder must be writable and the path must not be a folder.</summary>
    public static void RequireWritableFile(string file, string flag)
    {
        const string fix = "a file name in a folder you can write to";
        if (Directory.Exists(file)) throw new NetworkInputException($"{flag} {file}: cannot write output there (it is a folder); give {flag} {fix}");
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        if (Check(folder, flag, file, fix) is { } problem) throw new NetworkInputException(problem);
    }
}
