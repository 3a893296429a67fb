using System.CommandLine;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Proofs;
using DeepLinearProofs.Reporting;

namespace DeepLinearProofs.Cli.Commands;

/// <summary>
/// <c>dlp bench sweep --widths W --target T [--count n] [--repeat r]</c>: the same sweep one start at a time and
/// batched, interleaved in one process (unbatched, batched, unbatched, ...); one line with both rates (median of
/// --repeat), the speedup, and whether every start's limit and the first break agree.
/// </summary>
public static class BenchSweep
{
    public static Command Create(TextWriter stdout)
    {
        var widths = new Option<string>("--widths") { Description = "widths d_0,...,d_N", Required = true };
        var target = new Option<string>("--target") { Description = "diag(3,2,1) | [[..]] rows", Required = true };
        var sampler = new Option<string>("--init") { Description = "random:scale=0.3 | balanced-random:sigma=1/2", DefaultValueFactory = _ => "random:scale=0.3" };
        var count = new Option<int>("--count") { Description = "number of starts", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "base seed", DefaultValueFactory = _ => 1 };
        var tMax = new Option<double>("--t-max") { Description = "final time", DefaultValueFactory = _ => 50 };
        var rtol = new Option<double>("--rtol") { DefaultValueFactory = _ => 1e-8, Description = "relative tolerance" };
        var atol = new Option<double>("--atol") { DefaultValueFactory = _ => 1e-10, Description = "absolute tolerance" };
        var method = new Option<string>("--method") { Description = "auto | dop853 | dp54 | stiff", DefaultValueFactory = _ => "auto" };
        var candidate = new Option<string?>("--candidate") { Description = "formula predicting 'reaches the global minimiser'; its first break is compared too" };
        var repeat = new Option<int>("--repeat") { Description = "rounds of (unbatched, batched); medians are printed", DefaultValueFactory = _ => 3 };
        var command = new Command("sweep", "time a sweep one start at a time against the batched sweep, interleaved; prints both starts/s and whether the results agree start by start")
        {
            widths, target, sampler, count, seed, tMax, rtol, atol, method, candidate, repeat,
        };
        command.SetAction(parse =>
        {
            var arch = SimulateOptions.ParseWidths(parse.GetValue(widths)!);
            var tgt = SimulateOptions.ParseTarget(parse.GetValue(target)!);
            var z = SimulateOptions.Tagged("--target", parse.GetValue(target)!, () => DeepLinearProofs.Dynamics.Flow.NumericTarget.Of(arch, tgt));
            int runs = parse.GetValue(repeat);
            if (runs < 1 || runs > 20) throw new UsageException("--repeat takes 1..20");
            var cand = parse.GetValue(candidate);
            var req = new SweepRequest(arch, tgt, z, parse.GetValue(sampler)!, parse.GetValue(count), parse.GetValue(seed))
            {
                TMax = parse.GetValue(tMax), RelTol = parse.GetValue(rtol), AbsTol = parse.GetValue(atol),
                Integrator = SweepCommand.Word(Vocabularies.Integrator, RequestField.Integrator, parse.GetValue(method)!),
                Candidate = cand is null ? null : CandidateCharacterisation.Compile(arch, tgt, cand),
                CandidateText = cand,
            };
            SimulateOptions.Tagged("--init", req.Sampler, () => { Sweep.Validate(req); return 0; });
            var one = req with { Batched = false };
            // Untimed warm-up of both paths on a few starts, so that the JIT has compiled the hot loops.
            Sweep.Run(one with { Count = Math.Min(req.Count, 8) });
            Sweep.Run(req with { Count = Math.Min(req.Count, 8) });
            var unbatched = new List<SweepReport>();
            var batched = new List<SweepReport>();
            for (int r = 0; r < runs; r++)
            {
                unbatched.Add(Sweep.Run(one));
                batched.Add(Sweep.Run(req));
            }
            var a = unbatched.OrderBy(x => x.WallSeconds).ElementAt(runs / 2);
            var b = batched.OrderBy(x => x.WallSeconds).ElementAt(runs / 2);
            bool sameLimits = a.StartLimits.SequenceEqual(b.StartLimits);
            bool sameBreak = a.FirstBreak?.Index == b.FirstBreak?.Index && a.Breaks == b.Breaks;
            stdout.WriteLine(BenchOutput.Sweep(req, a, b, sameLimits, sameBreak, runs));
            return sameLimits && sameBreak ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
        });
        return command;
    }
}
