using System.CommandLine;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary><c>dlp sweep</c>: many seeded starts on all cores; fractions per limit with 95% intervals; a candidate characterisation tested.</summary>
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
        var method = new Option<string>("--method") { Description = "auto (DOP853, or the stiff switch when the spectrum says stiff) | dop853 | dp54 | stiff", DefaultValueFactory = _ => "auto" };
        var reduction = new Option<string>("--reduction") { Description = "full | balanced (every start balanced: --init balanced-random:...) | two-layer (widths d_0,1,d_2)", DefaultValueFactory = _ => "full" };
        var unbatched = new Option<bool>("--unbatched") { Description = "integrate one start at a time (default: four starts per SIMD pass where the explicit pairs run the full weights)" };
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("out", "sweep") };
        var command = new Command("sweep", "simulate many seeded starts in parallel; report the fraction reaching each limit (numerical evidence)")
        {
            widths, target, sampler, count, seed, tMax, rtol, atol, method, reduction, unbatched, candidate, outDir,
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
            var report = terminal.WithProgress($"sweeping {req.Count} starts", tick => Sweep.Run(req, d => tick(d, req.Count)));
            SweepOutput.Print(report, stdout, terminal);
            stdout.WriteLine($"wrote {SweepOutput.Write(report, dir)}");
            return report.FirstBreak is null ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
        });
        return command;
    }
}
