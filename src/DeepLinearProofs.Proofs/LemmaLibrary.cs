namespace DeepLinearProofs.Proofs;

/// <summary>Finds lemma files under paths and verifies them, keeping one bad file from stopping the rest.</summary>
public static class LemmaLibrary
{
    /// <summary>The .toml files at or below the given paths, in a stable order, each real file once; see <see cref="LemmaDiscovery"/>.</summary>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Errors) Discover(IEnumerable<string> paths) => LemmaDiscovery.Discover(paths);

    /// <summary>Loads and checks every file; progress is told (file, done, total) after each file. Lemmas sharing an id are not checked: one error line names their files.</summary>
    public static VerifyReport Verify(IEnumerable<string> paths, Action<string, int, int>? progress = null, CancellationToken cancel = default, CheckOptions? options = null)
    {
        var (files, discoveryErrors) = Discover(paths);
        var errors = new List<string>(discoveryErrors);
        var lemmas = new Lemma?[files.Count];
        var perFile = new IReadOnlyList<LemmaResult>?[files.Count];
        var perFileError = new string?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancel }, i =>
            perFileError[i] = Guarded(files[i], () => lemmas[i] = LemmaLoader.Load(files[i])));
        foreach (var same in Enumerable.Range(0, files.Count).Where(i => lemmas[i] is not null).GroupBy(i => lemmas[i]!.Id).Where(g => g.Count() > 1))
        {
            var at = same.ToList();
            perFileError[at[0]] = $"{files[at[0]]}:0: lemma id '{same.Key}' is also used by {string.Join(", ", at.Skip(1).Select(i => files[i]))}; give each lemma its own id (none of these was checked)";
            foreach (var i in at) lemmas[i] = null;
        }
        int done = 0;
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancel }, i =>
        {
            if (lemmas[i] is { } lemma)
                perFileError[i] = Guarded(files[i], () => perFile[i] = LemmaChecker.Check(lemma, options ?? CheckOptions.Default(), cancel));
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

    /// <summary>Runs one step on a file; a user error or crash becomes one error line (cancellation passes through).</summary>
    private static string? Guarded(string file, Action step)
    {
        try
        {
            step();
            return null;
        }
        catch (LemmaFileException e)
        {
            return e.OneLine;
        }
        catch (IOException e)
        {
            return $"{file}:0: cannot read the file: {e.Message}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"{file}:0: internal error while checking ({e.GetType().Name}: {e.Message}); please report it with this file";
        }
    }
}
