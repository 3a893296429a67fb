using System.CommandLine;
using System.Globalization;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Dynamics.Integration;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Cli.Commands;

/// <summary>The options shared by simulate, sweep and bench simulate, and how they become a request.</summary>
internal sealed class SimulateOptions
{
    public readonly Option<string?> Widths = new("--widths") { Description = "widths d_0,...,d_N, e.g. 3,2,1,3" };
    public readonly Option<string?> Target = new("--target") { Description = "diag(3,2,1) | [[..],[..]] (rows)" };
    public readonly Option<string?> Init = new("--init") { Description = "balanced:sigma=0.5,x=0;1;0,y=0;1;0[,w1=..] | random:seed=7,scale=0.3 | weights:W1=[[..]],W2=[[..]] | zero" };
    public readonly Option<string?> Problem = new("--problem") { Description = "problem file {\"widths\":[..],\"target\":[[..]],\"weights\":[W_1,..]} instead of --widths/--target/--init" };
    public readonly Option<double> TMax = new("--t-max") { Description = "final time", DefaultValueFactory = _ => 50 };
    public readonly Option<double> RTol = new("--rtol") { Description = "relative tolerance", DefaultValueFactory = _ => 1e-10 };
    public readonly Option<double> ATol = new("--atol") { Description = "absolute tolerance", DefaultValueFactory = _ => 1e-12 };
    public readonly Option<string> Method = new("--method") { Description = "auto (DOP853, or the stiff switch when the spectrum says stiff) | dop853 | dp54 | stiff (DOP853, then Runge-Kutta-Chebyshev once steps are stability-bound)", DefaultValueFactory = _ => "auto" };
    public readonly Option<string> Precision = new("--precision") { Description = "double | double-double", DefaultValueFactory = _ => "double" };
    public readonly Option<string> Structure = new("--structure") { Description = "auto | dense | rank-one (how the right-hand side is evaluated)", DefaultValueFactory = _ => "auto" };
    public readonly Option<string> Reduction = new("--reduction") { Description = "auto | full | balanced | two-layer", DefaultValueFactory = _ => "auto" };
    public readonly Option<bool> AllowLarge = new("--allow-large") { Description = "run even when the memory estimate is over the 1 GB budget" };
    public readonly Option<string> Project = new("--project") { Description = "none | balanced | coordinates (projection onto a certified invariant set after each step)", DefaultValueFactory = _ => "none" };

    public SimulateOptions()
    {
        Method.AcceptOnlyFromAmong([.. Vocabularies.Integrator.Names]);
        Precision.AcceptOnlyFromAmong([.. Vocabularies.Precision.Names]);
        Structure.AcceptOnlyFromAmong([.. Vocabularies.Structure.Names]);
        Reduction.AcceptOnlyFromAmong([.. Vocabularies.Reduction.Names]);
        Project.AcceptOnlyFromAmong([.. Vocabularies.Projection.Names]);
    }

    public IEnumerable<Option> All => [Widths, Target, Init, Problem, TMax, RTol, ATol, Method, Precision, Structure, Reduction, Project, AllowLarge];

    /// <summary>The network, target and start, from a problem file or from --widths/--target/--init.</summary>
    public (Architecture Arch, Target Target, NumericTarget Z, Initialisation? Start) Network(ParseResult parse, bool needInit = true)
    {
        if (parse.GetValue(Problem) is string file)
        {
            if (parse.GetValue(Widths) is not null || parse.GetValue(Target) is not null || parse.GetValue(Init) is not null)
                throw new UsageException("--problem gives widths, target and weights: drop --widths, --target and --init");
            var p = DeepLinearProofs.Dynamics.Simulation.Problem.Load(file);
            return (p.Architecture, new FileTarget(p.Target.Exact, Path.GetFileName(file)), p.Target, p.Start);
        }
        var widths = parse.GetValue(Widths) ?? throw new UsageException("give --widths (or --problem FILE)");
        var targetText = parse.GetValue(Target) ?? throw new UsageException("give --target, e.g. --target \"diag(3,2,1)\" (or --problem FILE)");
        var arch = ParseWidths(widths);
        ResourceEstimate.Require(arch, Word(Vocabularies.Integrator, parse.GetValue(Method)!), Word(Vocabularies.Precision, parse.GetValue(Precision)!), parse.GetValue(AllowLarge)); // before Z or the start are built
        var (target, z) = Tagged("--target", targetText, () => { var t = Networks.Target.Parse(targetText); return (t, NumericTarget.Of(arch, t)); });
        Initialisation? start = null;
        if (needInit)
        {
            var init = parse.GetValue(Init) ?? throw new UsageException("give --init, e.g. --init random:seed=7,scale=0.3 (or --problem FILE)");
            start = Tagged("--init", init, () => Initialisation.Parse(init, new WeightLayout(arch)));
        }
        return (arch, target, z, start);
    }

    /// <summary>--widths, with the flag and value in its error.</summary>
    internal static Architecture ParseWidths(string text) => Tagged("--widths", text, () => Architecture.Parse(text));

    /// <summary>--target, with the flag and value in its error.</summary>
    internal static Target ParseTarget(string text) => Tagged("--target", text, () => Networks.Target.Parse(text));

    /// <summary>Runs a parser of one flag's value; its one-line error is prefixed with the flag and the value (cut to 40 characters).</summary>
    internal static T Tagged<T>(string flag, string value, Func<T> parse)
    {
        try { return parse(); }
        catch (NetworkInputException e) when (e is not RequestFieldException)
        {
            var shown = value.Length > 40 ? value[..40] + "..." : value;
            throw new NetworkInputException($"{flag} '{shown}': {e.Message}");
        }
    }

    public SimulationRequest Request(ParseResult parse, Architecture arch, Target target, NumericTarget z, Initialisation start) =>
        new(arch, target, z, start)
        {
            TMax = parse.GetValue(TMax),
            RelTol = parse.GetValue(RTol),
            AbsTol = parse.GetValue(ATol),
            Integrator = Word(Vocabularies.Integrator, parse.GetValue(Method)!),
            Precision = Word(Vocabularies.Precision, parse.GetValue(Precision)!),
            Structure = Word(Vocabularies.Structure, parse.GetValue(Structure)!),
            Reduction = Word(Vocabularies.Reduction, parse.GetValue(Reduction)!),
            Projection = Word(Vocabularies.Projection, parse.GetValue(Project)!),
            AllowLarge = parse.GetValue(AllowLarge),
        };

    internal static T Word<T>(Vocabulary<T> vocabulary, string text) where T : struct, Enum =>
        vocabulary.TryParse(text, out var v) ? v : throw new UsageException($"{vocabulary.What} {vocabulary.Unknown(text)}");

    /// <summary>The flag that sets each request field, for messages from the domain.</summary>
    public static string Flag(RequestField field) => field switch
    {
        RequestField.Start => "--init",
        RequestField.TMax => "--t-max",
        RequestField.RelTol => "--rtol",
        RequestField.AbsTol => "--atol",
        RequestField.Integrator => "--method",
        RequestField.Precision => "--precision",
        RequestField.Reduction => "--reduction",
        RequestField.Projection => "--project",
        RequestField.Structure => "--structure",
        RequestField.Count => "--count",
        RequestField.Sampler => "--init",
        RequestField.MemoryBudget => "--allow-large",
        _ => field.ToString(),
    };

}
