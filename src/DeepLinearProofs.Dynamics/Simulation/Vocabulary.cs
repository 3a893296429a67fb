using DeepLinearProofs.Dynamics.Analysis;
using DeepLinearProofs.Dynamics.Flow;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Dynamics.Simulation;

/// <summary>Which integrator runs the full weights: DOP853 unless the spectrum says stiff (auto), or a forced choice.</summary>
public enum IntegratorChoice { Auto, Dop853, Dp54, Stiff }

/// <summary>
/// One name-to-value table for a word users type, in the CLI (<c>--method stiff</c>) and in lemma files
/// (<c>integrator = "stiff"</c>) alike, so the two can never accept different words.
/// </summary>
public sealed class Vocabulary<T> where T : struct, Enum
{
    private readonly (string Name, T Value)[] _entries;

    public Vocabulary(string what, params (string Name, T Value)[] entries)
    {
        What = what;
        _entries = entries;
    }

    /// <summary>What the words name ("integrator", "precision", ...), for messages.</summary>
    public string What { get; }

    public IReadOnlyList<string> Names => _entries.Select(e => e.Name).ToArray();

    public bool TryParse(string text, out T value)
    {
        foreach (var (name, v) in _entries)
            if (name == text) { value = v; return true; }
        value = default;
        return false;
    }

    public string Name(T value) => _entries.First(e => EqualityComparer<T>.Default.Equals(e.Value, value)).Name;

    /// <summary>The problem with a word that is not in the table, without naming where it came from (flag or key).</summary>
    public string Unknown(string text) => $"must be one of {string.Join(", ", Names)}; got \"{text}\"";
}

/// <summary>The vocabularies of a simulation request.</summary>
public static class Vocabularies
{
    public static readonly Vocabulary<IntegratorChoice> Integrator = new("integrator",
        ("auto", IntegratorChoice.Auto), ("dop853", IntegratorChoice.Dop853), ("dp54", IntegratorChoice.Dp54), ("stiff", IntegratorChoice.Stiff));

    public static readonly Vocabulary<Precision> Precision = new("precision",
        ("double", Simulation.Precision.Double), ("double-double", Simulation.Precision.DoubleDouble));

    public static readonly Vocabulary<Reduction> Reduction = new("reduction",
        ("auto", Simulation.Reduction.Auto), ("full", Simulation.Reduction.Full), ("balanced", Simulation.Reduction.Balanced), ("two-layer", Simulation.Reduction.TwoLayer));

    public static readonly Vocabulary<ProjectionChoice> Projection = new("projection",
        ("none", ProjectionChoice.None), ("balanced", ProjectionChoice.Balanced), ("coordinates", ProjectionChoice.Coordinates));

    public static readonly Vocabulary<FlowStructure> Structure = new("structure",
        ("auto", FlowStructure.Auto), ("dense", FlowStructure.Dense), ("rank-one", FlowStructure.RankOne));

    public static readonly Vocabulary<StageKind> Stage = new("stage",
        ("linear", StageKind.Linear), ("plateau", StageKind.Plateau), ("origin", StageKind.Origin));
}

/// <summary>
/// A limit as a lemma names it: "global minimiser", "saddle i", "origin" or "undetermined". Global minimisers
/// are one class whatever the index (with s_1 = s_2 there are several, E5).
/// </summary>
public readonly record struct ExpectedLimit(LimitClass Class, int Index)
{
    public static bool TryParse(string text, out ExpectedLimit limit)
    {
        limit = text switch
        {
            "global minimiser" => new(LimitClass.GlobalMinimiser, 0),
            "origin" => new(LimitClass.Origin, 0),
            "undetermined" => new(LimitClass.Undetermined, 0),
            _ => default,
        };
        if (text is "global minimiser" or "origin" or "undetermined") return true;
        if (text.StartsWith("saddle ", StringComparison.Ordinal) && int.TryParse(text[7..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) && i >= 2)
        {
            limit = new(LimitClass.Saddle, i);
            return true;
        }
        return false;
    }

    public const string Words = "\"global minimiser\", \"saddle i\" (i >= 2), \"origin\" or \"undetermined\"";

    public bool Matches(LimitClass cls, int index) => cls == Class && (Class != LimitClass.Saddle || index == Index);

    public override string ToString() => Class switch
    {
        LimitClass.GlobalMinimiser => "global minimiser",
        LimitClass.Saddle => $"saddle {Index}",
        LimitClass.Origin => "origin",
        _ => "undetermined",
    };
}

/// <summary>The fields of a simulation request, so that the domain can say which one is wrong without speaking CLI or TOML.</summary>
public enum RequestField { Start, TMax, RelTol, AbsTol, Integrator, Precision, Reduction, Projection, Structure, Count, Sampler, MemoryBudget }

/// <summary>Bad input to a simulation, tagged by field: the CLI names the flag, the lemma loader the key.</summary>
public sealed class RequestFieldException(RequestField field, string problem) : NetworkInputException(problem)
{
    public RequestField Field { get; } = field;

    /// <summary>The problem and its fix, without the field's name.</summary>
    public string Problem { get; } = problem;
}
