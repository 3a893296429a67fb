using System.CommandLine;
using System.Diagnostics;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;
using Status = DeepLinearProofs.Kernel.Status;

namespace DeepLinearProofs.Cli.Commands;

/// <summary>
/// <c>dlp check LEMMA --drop NAME --assume EXPR --widths W --target T --depth N</c> and <c>dlp check --all --drop gap [PATH]</c>:
/// re-runs lemmas under modified assumptions beside the original verdict, simulates the countermodels of what breaks, and
/// streams the diff table; each lemma runs in its own worker process, killed at the per-lemma wall-clock cap.
/// </summary>
public static class CheckCommand
{
    public const int DefaultLemmaTimeout = 60;

    public static Command Create(TextWriter stdout, Terminal terminal, TextWriter? stderr = null, CancellationToken cancel = default)
    {
        var paths = new Argument<string[]>("lemma") { Arity = ArgumentArity.ZeroOrMore, Description = "lemma file(s); with --all, folders (default: the library)" };
        var all = new Option<bool>("--all") { Description = "run the modification across the library and list which lemmas depend on it" };
        var drop = new Option<string[]>("--drop") { Description = $"assumption to drop ({string.Join(", ", Assumptions.Names)}) or a forall hypothesis name", AllowMultipleArgumentsPerToken = false };
        var assume = new Option<string[]>("--assume") { Description = "extra hypothesis (forall lemmas), e.g. \"c == -9/2\"" };
        var widths = new Option<string?>("--widths") { Description = "check on these widths instead" };
        var target = new Option<string?>("--target") { Description = "check with this target instead" };
        var depth = new Option<int?>("--depth") { Description = "re-instantiate at this depth (hidden layers of width 2 inserted after / removed away from the one-neuron layer)" };
        var format = new Option<string>("--format") { Description = "text (default), md or json", DefaultValueFactory = _ => "text" };
        var lemmaTimeout = new Option<int>("--lemma-timeout") { Description = $"wall-clock cap in seconds per lemma (both runs and the simulations); past it the work is killed and the lemma is unknown (budget); default {DefaultLemmaTimeout}", DefaultValueFactory = _ => DefaultLemmaTimeout };
        var jobs = new Option<int>("--jobs") { Description = "lemmas run at once with --all (worker processes); default 2", DefaultValueFactory = _ => 2 };
        var outDir = new Option<string>("--out") { Description = "folder for the report (check.html, check.md, check.tex, check.json) and the figures of simulated countermodels (default: out/check)", DefaultValueFactory = _ => Path.Combine("out", "check") };
        var verbose = new Option<bool>("--verbose") { Description = "print the modified verdicts' details in full (default: cut to the terminal width)" };
        // Worker processes of --all write their figures but leave the report to the parent.
        var noReport = new Option<bool>("--no-report") { Description = "do not write the report files", Hidden = true };
        var command = new Command("check", "re-run lemmas with an assumption dropped, a hypothesis added or removed, or on another network")
            { paths, all, drop, assume, widths, target, depth, format, lemmaTimeout, jobs, outDir, verbose, noReport };
        command.SetAction(parse =>
        {
            var fmt = parse.GetValue(format) ?? "text";
            if (fmt is not ("text" or "md" or "json")) throw new UsageException($"--format {fmt}: use text, md or json");
            int cap = parse.GetValue(lemmaTimeout);
            if (cap is < 1 or > 3600) throw new UsageException($"--lemma-timeout {cap}: give whole seconds from 1 to 3600");
            int workers = parse.GetValue(jobs);
            if (workers is < 1 or > 64) throw new UsageException($"--jobs {workers}: give 1 to 64");
            if (parse.GetValue(depth) is { } d && d is < 2 or > 64) throw new UsageException($"--depth {d}: give a depth from 2 to 64");
            var m = new Modification(parse.GetValue(drop) ?? [], parse.GetValue(assume) ?? [],
                parse.GetValue(widths) is { } w ? SimulateOptions.ParseWidths(w) : null,
                parse.GetValue(target) is { } t ? SimulateOptions.ParseTarget(t) : null,
                parse.GetValue(depth));
            if (m.IsEmpty) throw new UsageException("say what to change: --drop NAME, --assume EXPR, --widths, --target or --depth");
            if (m.Widths is { } newWidths) FlowDerivation.RequireSymbolsFit(newWidths, "check"); // refused at once, not after minutes of building
            var reportDir = parse.GetValue(outDir) ?? Path.Combine("out", "check");
            var figures = Path.Combine(reportDir, "figures");
            OutputFolder.RequireWritable(reportDir, "--out"); // the report and its figures/ folder, before any lemma runs
            var given = parse.GetValue(paths) ?? [];
            bool isVerbose = parse.GetValue(verbose);
            var err = stderr ?? TextWriter.Null;
            if (!parse.GetValue(all))
            {
                if (given.Length != 1) throw new UsageException("give one lemma file, or --all");
                if (Directory.Exists(given[0]))
                    throw new NetworkInputException($"{given[0]} is a folder: add --all to check every lemma in it, or name one .toml file");
                if (!File.Exists(given[0]))
                    throw new NetworkInputException($"{given[0]}: no such lemma file; give the path of a .toml lemma file (or a folder with --all)");
                var lemma1 = LemmaLoader.Load(given[0]);
                if (AssumptionCheck.Apply(lemma1, m) is null)
                    throw new LemmaFileException(lemma1.Path, 1, $"nothing to change: {AssumptionCheck.NotConcerned(lemma1, m)}");
                if (m.Widths is { } w1 && w1.Widths.Sum() > 9 && fmt == "text")
                    err.WriteLine($"check: {lemma1.Id} on widths {w1}; exact and SMT checks grow quickly with the widths; the lemma stops at its {cap} s cap (Ctrl-C to stop)");
                var (result, row) = RunOne(lemma1, m, TimeSpan.FromSeconds(cap), figures, cancel);
                if (fmt == "json") stdout.WriteLine(CheckOutput.Json(row));
                else if (fmt == "md")
                {
                    var table = new CheckOutput.DiffTable(m, "md", stdout, err, terminal, isVerbose);
                    table.Start(1);
                    table.Add(row);
                }
                else if (result is not null) CheckOutput.PrintOne(result, row, stdout, terminal, isVerbose);
                else stdout.WriteLine($"lemma {lemma1.Id}: {row.Verdict}: {row.Modified}");
                if (!parse.GetValue(noReport)) WriteReport(m, [row], [], [], reportDir, fmt == "text" ? stdout : err);
                // The check succeeds when both runs reach definite verdicts; whether the result survives is the finding, not an error.
                bool inconclusive = result is null || result.CannotTransform is not null ||
                    result.Original.Concat(result.Modified).Any(r => r.Outcome.Status is Status.Unknown or Status.Error);
                return inconclusive ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
            }
            var (files, discoveryErrors) = LemmaLibrary.Discover(given.Length > 0 ? given : [VerifyCommand.DefaultLibrary()]);
            var errors = discoveryErrors.ToList();
            var skipped = new List<string>();
            var queue = new List<(Lemma Lemma, string File)>();
            var immediate = new List<CheckRow>();
            var hypothesisNames = new HashSet<string>();
            foreach (var file in files)
            {
                Lemma lemma;
                try { lemma = LemmaLoader.Load(file); }
                catch (LemmaFileException e) { errors.Add(e.OneLine); continue; }
                if (lemma.Claim is ForallClaim f) hypothesisNames.UnionWith(f.Hypotheses.Select(h => h.Name));
                Transformation? applied;
                try { applied = AssumptionCheck.Apply(lemma, m); }
                catch (LemmaFileException e) { immediate.Add(CheckOutput.Failed(lemma.Id, file, "error", e.Message, 0)); continue; }
                if (applied is null) { skipped.Add(lemma.Id); continue; }
                if (applied.Cannot is { } reason)
                {
                    immediate.Add(CheckOutput.Row(new AssumptionResult(lemma, applied.Changes, [], []) { CannotTransform = reason, Assumes = Assumptions.Of(lemma), Declared = lemma.Assumes is not null }, 0));
                    continue;
                }
                queue.Add((lemma, file));
            }
            foreach (var name in m.Drop.Where(n => !Assumptions.TryParse(n, out _) && !hypothesisNames.Contains(n)))
                errors.Add($"--drop {name}: not an assumption ({string.Join(", ", Assumptions.Names)}) and no lemma has a hypothesis of that name, so nothing was dropped");
            var diff = new CheckOutput.DiffTable(m, fmt, stdout, err, terminal, isVerbose);
            diff.Start(queue.Count + immediate.Count);
            foreach (var row in immediate) diff.Add(row);
            var worker = Worker.Find();
            var forwarded = ForwardedArguments(parse.GetValue(drop) ?? [], parse.GetValue(assume) ?? [], parse.GetValue(widths), parse.GetValue(target), parse.GetValue(depth), cap, reportDir);
            int next = -1;
            void Work()
            {
                while (true)
                {
                    int i = Interlocked.Increment(ref next);
                    if (i >= queue.Count || cancel.IsCancellationRequested) return;
                    var (lemma, file) = queue[i];
                    diff.Add(worker is null
                        ? RunOne(lemma, m, TimeSpan.FromSeconds(cap), figures, cancel).Row
                        : worker.Run(lemma, file, forwarded, TimeSpan.FromSeconds(cap), cancel));
                }
            }
            var threads = Enumerable.Range(0, Math.Min(workers, Math.Max(1, queue.Count))).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
            foreach (var th in threads) th.Start();
            foreach (var th in threads) th.Join();
            diff.Finish(skipped, errors);
            WriteReport(m, diff.Rows, skipped, errors, reportDir, fmt == "text" ? stdout : err);
            bool bad = errors.Count > 0 || diff.Rows.Any(r => r.Verdict is "unknown (budget)" || r.Verdict.StartsWith("error", StringComparison.Ordinal));
            return bad ? ExitCodes.InconclusiveOrBadInput : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The diff table and its figures as a report in every format of <c>dlp examples</c>, in <paramref name="dir"/>.</summary>
    private static void WriteReport(Modification m, IReadOnlyList<CheckRow> rows, IReadOnlyList<string> skipped, IReadOnlyList<string> errors, string dir, TextWriter note)
    {
        var files = DeepLinearProofs.Reporting.Documents.DocumentFiles.Write(CheckReport.Build(m, rows, skipped, errors), dir, DeepLinearProofs.Reporting.Documents.DocumentFiles.Formats);
        note.WriteLine($"report: {string.Join(", ", files.Where(f => !f.Contains(Path.DirectorySeparatorChar + "figures" + Path.DirectorySeparatorChar)))}");
    }

    private static List<string> ForwardedArguments(string[] drop, string[] assume, string? widths, string? target, int? depth, int cap, string reportDir)
    {
        var args = new List<string>();
        foreach (var d in drop) { args.Add("--drop"); args.Add(d); }
        foreach (var a in assume) { args.Add("--assume"); args.Add(a); }
        if (widths is not null) { args.Add("--widths"); args.Add(widths); }
        if (target is not null) { args.Add("--target"); args.Add(target); }
        if (depth is not null) { args.Add("--depth"); args.Add(depth.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        args.AddRange(["--lemma-timeout", cap.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.GetFullPath(reportDir), "--format", "json", "--no-report"]);
        return args;
    }

    /// <summary>
    /// One lemma in this process, under the cap: the work runs on its own thread with a token cancelled at the cap; past the cap
    /// (plus a second for the work to notice) the lemma is unknown (budget) and the work is abandoned (a worker process ends with it).
    /// </summary>
    public static (AssumptionResult? Result, CheckRow Row) RunOne(Lemma lemma, Modification m, TimeSpan cap, string figures, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        budget.CancelAfter(cap);
        var options = CheckOptions.Default() with { WallCap = cap };
        var work = Task.Run(() => AssumptionCheck.Run(lemma, m, options, budget.Token), CancellationToken.None);
        try
        {
            if (!work.Wait(cap + TimeSpan.FromSeconds(1)))
                return (null, CheckOutput.Failed(lemma.Id, lemma.Path, "unknown (budget)", $"stopped at the per-lemma cap of {cap.TotalSeconds:0} s", clock.Elapsed.TotalSeconds));
            var result = work.Result;
            var row = CheckOutput.Row(result, clock.Elapsed.TotalSeconds);
            try { row = row with { Figures = CheckOutput.WriteFigures(result, m, figures) }; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { row = row with { Details = [.. row.Details, $"figure not written: {e.Message}"] }; }
            return (result, row);
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            return (null, CheckOutput.Failed(lemma.Id, lemma.Path, "unknown (budget)", $"stopped at the per-lemma cap of {cap.TotalSeconds:0} s", clock.Elapsed.TotalSeconds));
        }
        catch (AggregateException e) when (e.InnerException is LemmaFileException lf)
        {
            if (cancel.IsCancellationRequested) throw new OperationCanceledException();
            return (null, CheckOutput.Failed(lemma.Id, lemma.Path, "error", lf.Message, clock.Elapsed.TotalSeconds));
        }
    }

    /// <summary>A dlp worker process per lemma (the dlp.dll beside this program): killed, with its solvers, at the cap.</summary>
    private sealed class Worker(string host, string? dll)
    {
        public static Worker? Find()
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "dlp.dll");
            if (!File.Exists(dll)) return null;
            var process = Environment.ProcessPath;
            if (process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet") return new Worker(process, dll);
            var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "dlp.exe" : "dlp");
            if (File.Exists(apphost)) return new Worker(apphost, null);
            return process is not null && Path.GetFileName(process).StartsWith("dotnet", StringComparison.Ordinal) ? new Worker(process, dll) : null;
        }

        public CheckRow Run(Lemma lemma, string file, IReadOnlyList<string> arguments, TimeSpan cap, CancellationToken cancel)
        {
            var clock = Stopwatch.StartNew();
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (dll is not null) start.ArgumentList.Add(dll);
            start.ArgumentList.Add("check");
            start.ArgumentList.Add(file);
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start);
            if (process is null) return CheckOutput.Failed(lemma.Id, file, "error", "could not start a worker process", 0);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            // The worker stops itself at the cap; the parent kills it (and its solver processes) a little later.
            var deadline = cap + TimeSpan.FromSeconds(8);
            bool exited = false;
            while (clock.Elapsed < deadline)
            {
                if (process.WaitForExit(200)) { exited = true; break; }
                if (cancel.IsCancellationRequested) break;
            }
            if (!exited)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
                return CheckOutput.Failed(lemma.Id, file, "unknown (budget)", cancel.IsCancellationRequested ? "interrupted" : $"killed at the per-lemma cap of {cap.TotalSeconds:0} s", clock.Elapsed.TotalSeconds);
            }
            var text = output.Result;
            var row = CheckOutput.ParseJson(text.Trim());
            if (row is null)
            {
                var line = (errors.Result + "\n" + text).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {process.ExitCode}";
                return CheckOutput.Failed(lemma.Id, file, "error", line.StartsWith("dlp: ", StringComparison.Ordinal) ? line[5..] : line, clock.Elapsed.TotalSeconds);
            }
            return row with { Seconds = clock.Elapsed.TotalSeconds };
        }
    }
}
