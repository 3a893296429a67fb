namespace DeepLinearProofs.Proofs;

/// <summary>Finds lemma files under paths and verifies them, keeping one bad file from stopping the rest.</summary>
public static class LemmaLibrary
{
    /// <summary>The .toml files at or below the given paths, in a stable order; a missing path is an error line.</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Errors) Discover(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var errors = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*.toml", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else errors.Add($"{path}:0: no such file or directory; give a lemma file (.toml) or a folder of them");
        }
        return (files, errors);
    }

    /// <summary>Loads and checks every file; progress is told (file, done, total) after each file.</summary>
    public static VerifyReport Verify(IEnumerable<string> paths, Action<string, int, int>? progress = null, CancellationToken cancel = default, CheckOptions? options = null)
    {
        var (files, discoveryErrors) = Discover(paths);
        var errors = new List<string>(discoveryErrors);
        var perFile = new IReadOnlyList<LemmaResult>?[files.Count];
        var perFileError = new string?[files.Count];
        int done = 0;
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancel }, i =>
        {
            try
            {
                perFile[i] = LemmaChecker.Check(LemmaLoader.Load(files[i]), options ?? CheckOptions.Default(), cancel);
            }
            catch (LemmaFileException e)
            {
                perFileError[i] = e.OneLine;
            }
            catch (IOException e)
            {
                perFileError[i] = $"{files[i]}:0: cannot read the file: {e.Message}";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                perFileError[i] = $"{files[i]}:0: internal error while checking ({e.GetType().Name}: {e.Message}); please report it with this file";
            }
            progress?.Invoke(files[i], Interlocked.Increment(ref done), files.Count);
        });
        var results = new List<LemmaResult>();
        for (int i = 0; i < files.Count; i++)
        {
            if (perFile[i] is { } r) results.AddRange(r);
            if (perFileError[i] is { } e) errors.Add(e);
        }
        return new VerifyReport(results, errors);
    }
}
