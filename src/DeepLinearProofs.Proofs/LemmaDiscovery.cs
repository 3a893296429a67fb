namespace DeepLinearProofs.Proofs;

/// <summary>
/// Finds the .toml lemma files at or below paths. Symbolic links are followed, but every real file is listed
/// once (canonical paths are compared) and a link back to a folder that contains the search is skipped with one error line.
/// </summary>
public static class LemmaDiscovery
{
    private const int MaxLinkHops = 40;

    /// <summary>The lemma files in a stable order, and one error line per missing path, empty folder, link loop or unreadable folder.</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Errors) Discover(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var errors = new List<string>();
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        var walked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                if (Canonical(path) is { } real) { if (seenFiles.Add(real)) files.Add(path); }
                else errors.Add(LoopError(path));
            }
            else if (Directory.Exists(path))
            {
                var real = Canonical(path);
                if (real is null) errors.Add(LoopError(path));
                else if (walked.Add(real))
                {
                    var found = new List<string>();
                    int lemmaFiles = Walk(path, real, found, errors, seenFiles, walked);
                    files.AddRange(found.Order(StringComparer.Ordinal));
                    if (lemmaFiles == 0)
                        errors.Add($"{path}:0: no lemma files (.toml) in this folder or below; give a folder that contains lemma files, or a lemma file");
                }
            }
            else if (IsLink(path) && Canonical(path) is null) errors.Add(LoopError(path));
            else errors.Add($"{path}:0: no such file or directory; give a lemma file (.toml) or a folder of them");
        }
        return (files, errors);
    }

    /// <summary>
    /// Depth-first walk without recursion; folders reached through links are walked after the real ones, so files are
    /// named by their real paths where possible. Returns how many .toml files it met (repeats included).
    /// </summary>
    private static int Walk(string root, string realRoot, List<string> found, List<string> errors, HashSet<string> seenFiles, HashSet<string> walked)
    {
        int lemmaFiles = 0;
        var pending = new Stack<(string Path, string Real)>();
        var links = new Queue<(string Link, string RealFolder)>();
        pending.Push((root, realRoot));
        while (pending.Count > 0 || links.Count > 0)
        {
            if (pending.Count == 0)
            {
                var (link, holder) = links.Dequeue();
                var target = Canonical(link);
                if (target is null) errors.Add(LoopError(link));
                else if (IsWithin(holder, target))
                    errors.Add($"{link}:0: symbolic link loop: it leads back to {target}, which contains the link; skipped it (the real files are checked once); remove the link");
                else if (walked.Add(target)) pending.Push((link, target));
                // else: a second way into a folder already searched; its files are checked once.
                continue;
            }
            var (dir, realDir) = pending.Pop();
            List<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{dir}:0: cannot read the folder: {OneLine(e.Message)}");
                continue;
            }
            var subfolders = new List<(string, string)>();
            foreach (var entry in entries)
            {
                if (Directory.Exists(entry))
                {
                    if (IsLink(entry)) links.Enqueue((entry, realDir));
                    else if (Canonical(entry) is { } real && walked.Add(real)) subfolders.Add((entry, real));
                }
                else if (entry.EndsWith(".toml", StringComparison.Ordinal))
                {
                    if (!File.Exists(entry))
                    {
                        errors.Add(IsLink(entry) && Canonical(entry) is null ? LoopError(entry) : $"{entry}:0: a link to a missing file; fix or remove the link");
                        continue;
                    }
                    lemmaFiles++;
                    var real = Canonical(entry);
                    if (real is null) errors.Add(LoopError(entry));
                    else if (seenFiles.Add(real)) found.Add(entry);
                }
                else if (IsLink(entry) && Canonical(entry) is null) errors.Add(LoopError(entry));
            }
            for (int i = subfolders.Count - 1; i >= 0; i--) pending.Push(subfolders[i]);
        }
        return lemmaFiles;
    }

    private static string LoopError(string path) =>
        $"{path}:0: symbolic link loop: the link never reaches a real file or folder; skipped it; remove the link";

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private static bool IsWithin(string path, string folder) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static bool IsLink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>The absolute path with every symbolic link resolved (like realpath), or null when links go round.</summary>
    public static string? Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        for (int hops = 0; hops <= MaxLinkHops; hops++)
        {
            var root = Path.GetPathRoot(full) ?? "";
            var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? next = null;
            for (int i = 0; i < parts.Length && next is null; i++)
            {
                var candidate = Path.Combine(current, parts[i]);
                string? target;
                try { target = new FileInfo(candidate).LinkTarget; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { target = null; }
                if (target is null) { current = candidate; continue; }
                // current has no links, so resolving ".." in the target lexically is exact.
                next = Path.GetFullPath(Path.Combine([current, target, .. parts[(i + 1)..]]));
            }
            if (next is null) return current;
            full = next;
        }
        return null;
    }
}
