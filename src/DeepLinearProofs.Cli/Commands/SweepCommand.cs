using System.CommandLine;
using System.Text.Json.Nodes;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp sweep</c>: many seeded starts on all cores; fractions per limit with 95% intervals; a candidate characterisation tested.
/// With <c>--shard i/n</c> one part of the starts, <c>dlp sweep merge DIR</c> the report of all parts, <c>--slurm</c> Slurm jobs for both.</summary>
public static class SweepCommand
{
    /// <summary>A vocabulary word of a sweep option; a word not in it is bad input (exit 2) naming the flag and the words.</summary>
    internal static T Word<T>(Vocabulary<T> vocabulary, RequestField field, string text) where T : struct, Enum =>
        vocabulary.TryParse(text, out var v) ? v : throw new RequestFieldException(field, vocabulary.Unknown(text));

    public static Command Create(TextWriter stdout, Terminal terminal)
    {
        var widths = new Option<string>("--widths") { Description = "widths d_0,...,d_N", Required = true };
        var target = new Option<string>("--target") { Description = "diag(3,2,1) | [[..]] rows", Required = true };
        var sampler = new Option<string>("--init") { Description = "random:scale=0.3 | balanced-random:sigma=1/2", DefaultValueFactory = _ => "random:scale=0.3" };
        var count = new Option<int>("--count") { Description = "number of starts", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "base seed (start i uses seed*1000003 + i)", DefaultValueFactory = _ => 1 };
        var tMax = new Option<double>("--t-max") { Description = "final time", DefaultValueFactory = _ => 50 };
        var rtol = new Option<double>("--rtol") { DefaultValueFactory = _ => 1e-8, Description = "relative tolerance" };
        var atol = new Option<double>("--atol") { DefaultValueFactory = _ => 1e-10, Description = "absolute tolerance" };
        var candidate = new Option<string?>("--candidate") { Description = "formula predicting 'reaches the global minimiser', e.g. \"P[1,1] > 0\"; the first start that breaks it is reported" };
        var method = new Option<string>("--method") { Description = "auto (on the full weights the stiff switch: DOP853 per start until its steps are stability-bound, then RKC) | dop853 | dp54 | stiff", DefaultValueFactory = _ => "auto" };
        var reduction = new Option<string>("--reduction") { Description = "full | balanced (every start balanced: --init balanced-random:...) | two-layer (widths d_0,1,d_2)", DefaultValueFactory = _ => "full" };
        var unbatched = new Option<bool>("--unbatched") { Description = "integrate one start at a time (default: four starts per SIMD pass on the full weights of a network with a one-neuron layer)" };
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("out", "sweep") };
        var shard = new Option<string?>("--shard") { Description = "i/n: run only shard i (0..n-1) of n and write OUT/sweep-shard-i-of-n.json (same seeds as the whole sweep); combine with 'dlp sweep merge OUT'" };
        var slurm = new Option<bool>("--slurm") { Description = "write a Slurm array job (one task per shard) and a merge job after it to OUT/slurm/; submit both when sbatch is on the PATH" };
        var arraySize = new Option<int?>("--array-size") { Description = "with --slurm: number of shards = array tasks (default 10, at most --count)" };
        var time = new Option<string?>("--time") { Description = "with --slurm: time limit of each task and of the merge job (sbatch --time, e.g. 02:00:00)" };
        var partition = new Option<string?>("--partition") { Description = "with --slurm: sbatch --partition" };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "with --slurm: sbatch --cpus-per-task of each shard task" };
        var dlp = new Option<string?>("--dlp") { Description = "with --slurm: the shell command that runs dlp on the cluster nodes (default: this dlp, 'dotnet <path>/dlp.dll')" };
        var noSubmit = new Option<bool>("--no-submit") { Description = "with --slurm: only write the scripts, even when sbatch is on the PATH" };
        var command = new Command("sweep", "simulate many seeded starts in parallel; report the fraction reaching each limit (numerical evidence)")
        {
            widths, target, sampler, count, seed, tMax, rtol, atol, method, reduction, unbatched, candidate, outDir, shard, slurm, arraySize, time, partition, cpus, dlp, noSubmit,
            CreateMerge(stdout, terminal),
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(outDir)!;
            Networks.OutputFolder.RequireWritable(dir, "--out");
            var arch = SimulateOptions.ParseWidths(parse.GetValue(widths)!);
            var tgt = SimulateOptions.ParseTarget(parse.GetValue(target)!);
            var z = SimulateOptions.Tagged("--target", parse.GetValue(target)!, () => DeepLinearProofs.Dynamics.Flow.NumericTarget.Of(arch, tgt));
            var cand = parse.GetValue(candidate);
            var req = new SweepRequest(arch, tgt, z, parse.GetValue(sampler)!, parse.GetValue(count), parse.GetValue(seed))
            {
                TMax = parse.GetValue(tMax), RelTol = parse.GetValue(rtol), AbsTol = parse.GetValue(atol),
                Integrator = SweepCommand.Word(Vocabularies.Integrator, RequestField.Integrator, parse.GetValue(method)!),
                Reduction = SweepCommand.Word(Vocabularies.Reduction, RequestField.Reduction, parse.GetValue(reduction)!),
                Batched = !parse.GetValue(unbatched),
                Candidate = cand is null ? null : CandidateCharacterisation.Compile(arch, tgt, cand),
                CandidateText = cand,
            };
            SimulateOptions.Tagged("--init", req.Sampler, () => { Sweep.Validate(req); return 0; }); // sampler errors name --init
            var shardText = parse.GetValue(shard);
            var slurmOnly = new (string Flag, bool Given)[]
            {
                ("--array-size", parse.GetValue(arraySize) is not null), ("--time", parse.GetValue(time) is not null), ("--partition", parse.GetValue(partition) is not null),
                ("--cpus-per-task", parse.GetValue(cpus) is not null), ("--dlp", parse.GetValue(dlp) is not null), ("--no-submit", parse.GetValue(noSubmit)),
            };
            if (parse.GetValue(slurm))
            {
                if (shardText is not null) throw new NetworkInputException("--shard with --slurm: give one of them; --slurm writes an array job whose task i runs --shard i/n");
                var plan = SlurmPlanFor(req, dir, parse.GetValue(arraySize) ?? Math.Min(10, req.Count), parse.GetValue(dlp), parse.GetValue(time), parse.GetValue(partition), parse.GetValue(cpus),
                    [.. Arguments(parse.GetValue(widths)!, parse.GetValue(target)!, req)]);
                return Slurm.WriteAndSubmit(plan, submit: !parse.GetValue(noSubmit), stdout);
            }
            if (slurmOnly.FirstOrDefault(s => s.Given) is { Flag: { } lone })
                throw new NetworkInputException($"{lone} is a --slurm option: add --slurm, or leave {lone} out");
            if (shardText is not null)
            {
                var part = ParseShard(shardText, req.Count);
                var tally = terminal.WithProgress($"sweeping shard {part} ({part.Starts(req.Count).End - part.Starts(req.Count).First} starts)",
                    tick => Sweep.RunShard(req, part, d => tick(d, part.Starts(req.Count).End - part.Starts(req.Count).First)));
                var path = SweepShardFile.Write(req, part, tally, dir);
                SweepOutput.PrintShard(req, part, tally, path, stdout);
                return ExitCodes.Ok; // a broken candidate is a property of the merged report, not a failure of the shard
            }
            var report = terminal.WithProgress($"sweeping {req.Count} starts", tick => Sweep.Run(req, d => tick(d, req.Count)));
            SweepOutput.Print(report, stdout, terminal);
            stdout.WriteLine($"wrote {SweepOutput.Write(report, dir)}");
            return report.FirstBreak is null ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
        });
        return command;
    }

    /// <summary><c>dlp sweep merge DIR</c>: the shards of one sweep combined into the report the sweep gives on one machine.</summary>
    private static Command CreateMerge(TextWriter stdout, Terminal terminal)
    {
        var dir = new Argument<string>("dir") { Description = "the --out folder of the shard runs (holds sweep-shard-i-of-n.json)" };
        var merge = new Command("merge", "combine the shard files of DIR into the sweep's report (DIR/sweep.json); refuses missing shards and mixed parameters") { dir };
        merge.SetAction(parse =>
        {
            var folder = parse.GetValue(dir)!;
            var set = SweepShardFile.ReadAll(folder);
            Networks.OutputFolder.RequireWritable(folder, "sweep merge");
            var req = RequestFrom(set.Parameters, folder);
            var all = DeepLinearProofs.Dynamics.Simulation.SweepTally.Combine(set.Tallies)
                ?? throw new NetworkInputException($"sweep merge {folder}: the shards' start ranges do not tile 0..{req.Count - 1}; delete the shard files and re-run the shards");
            var report = Sweep.Report(req, all, set.Shards);
            SweepOutput.Print(report, stdout, terminal);
            stdout.WriteLine($"wrote {SweepOutput.Write(report, folder)}");
            return report.FirstBreak is null ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
        });
        return merge;
    }

    /// <summary>"i/n" with 0 &lt;= i &lt; n &lt;= count.</summary>
    internal static SweepShard ParseShard(string text, int count)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
            throw new NetworkInputException($"--shard '{text}': not i/n; give the shard index and the number of shards, e.g. --shard 0/8 (indices 0..n-1)");
        if (n < 1) throw new NetworkInputException($"--shard '{text}': the number of shards must be at least 1; e.g. --shard 0/8");
        if (i >= n) throw new NetworkInputException($"--shard '{text}': shard indices run from 0 to {n - 1}; give --shard i/{n} with i < {n}");
        if (n > count) throw new NetworkInputException($"--shard '{text}': {n} shards of {count} starts would leave shards empty; use at most {count} shards or raise --count");
        return new SweepShard(i, n);
    }

    /// <summary>The options that reproduce <paramref name="req"/> on another machine (for the Slurm tasks).</summary>
    private static IEnumerable<string> Arguments(string widthsText, string targetText, SweepRequest req)
    {
        IEnumerable<string> Opt(string flag, string value) => value.StartsWith('-') ? [$"{flag}={value}"] : [flag, value];
        return [
            .. Opt("--widths", widthsText), .. Opt("--target", targetText), .. Opt("--init", req.Sampler),
            .. Opt("--count", req.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. Opt("--seed", req.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            .. Opt("--t-max", Num.G(req.TMax)), .. Opt("--rtol", Num.G(req.RelTol)), .. Opt("--atol", Num.G(req.AbsTol)),
            .. Opt("--method", Vocabularies.Integrator.Name(req.Integrator)), .. Opt("--reduction", Vocabularies.Reduction.Name(req.Reduction)),
            .. (req.Batched ? Array.Empty<string>() : ["--unbatched"]),
            .. (req.CandidateText is { } c ? Opt("--candidate", c) : []),
        ];
    }

    private static SlurmPlan SlurmPlanFor(SweepRequest req, string dir, int shards, string? dlp, string? time, string? partition, int? cpus, string[] arguments)
    {
        if (shards < 1 || shards > req.Count)
            throw new NetworkInputException($"--array-size {shards}: must be between 1 and --count ({req.Count}); each array task runs one shard of the starts");
        if (cpus is < 1) throw new NetworkInputException($"--cpus-per-task {cpus}: must be at least 1");
        var full = Path.GetFullPath(dir);
        if (full.Any(ch => char.IsWhiteSpace(ch) || ch is '\'' or '"' or '$' or '`' or '\\'))
            throw new NetworkInputException($"--out {dir}: Slurm's #SBATCH --output lines cannot hold spaces, quotes, $ or backslashes; give --out a plain path");
        foreach (var (flag, value) in new[] { ("--time", time), ("--partition", partition) })
            if (value is not null && (value.Length == 0 || value.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch))))
                throw new NetworkInputException($"{flag} '{value}': must be one word (it becomes an #SBATCH line), e.g. {(flag == "--time" ? "02:00:00" : "compute")}");
        return new SlurmPlan(dlp ?? Slurm.ThisDlp(), arguments, full, shards) { Time = time, Partition = partition, CpusPerTask = cpus };
    }

    /// <summary>The request a shard set was computed for (no compiled candidate: the merged report needs only its text).</summary>
    private static SweepRequest RequestFrom(JsonObject p, string folder)
    {
        try
        {
            var arch = Architecture.Parse(string.Join(",", ((JsonArray)p["widths"]!).Select(w => (int)w!)));
            var tgt = Target.Parse((string)p["target"]!);
            return new SweepRequest(arch, tgt, DeepLinearProofs.Dynamics.Flow.NumericTarget.Of(arch, tgt), (string)p["sampler"]!, (int)p["count"]!, (int)p["seed"]!)
            {
                TMax = (double)p["t_max"]!, RelTol = (double)p["rtol"]!, AbsTol = (double)p["atol"]!, CandidateText = (string?)p["candidate"],
                Integrator = Word(Vocabularies.Integrator, RequestField.Integrator, (string)p["method"]!),
                Reduction = Word(Vocabularies.Reduction, RequestField.Reduction, (string)p["reduction"]!),
                Batched = (bool?)p["batched"] ?? true,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or InvalidCastException or FormatException)
        {
            throw new NetworkInputException($"sweep merge {folder}: the shards' parameters are incomplete ({e.Message.Split('\n')[0]}); re-run the shards with this dlp");
        }
    }
}
