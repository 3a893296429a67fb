namespace DeepLinearProofs.Proofs;

/// <summary>One numbered item of the project's theory document (docs/theory.md): T0-T15 results, E1-E6 necessity examples.</summary>
public sealed record TheoryItem(string Id, string Title, string Section, IReadOnlyList<string> Uses);

/// <summary>
/// The items of docs/theory.md with their headings and the items their arguments use (a test keeps the titles equal to the
/// document's headings). The uses are the document's own: T8's argument uses T3, T4, T7; T11 uses T9, T10; and so on.
/// </summary>
public static class TheoryCatalog
{
    public static readonly IReadOnlyList<TheoryItem> Items =
    [
        new("T0", "Data form of the loss", "Setting", ["T1"]),
        new("T1", "The flow", "Flow, conserved quantities and landscape", []),
        new("T2", "The end-to-end matrix", "Flow, conserved quantities and landscape", ["T1"]),
        new("T3", "Conserved imbalances", "Flow, conserved quantities and landscape", ["T1"]),
        new("T4", "Descent", "Flow, conserved quantities and landscape", ["T1"]),
        new("T5", "Rank one", "Flow, conserved quantities and landscape", []),
        new("T6", "The minimum", "Flow, conserved quantities and landscape", ["T5"]),
        new("T7", "Critical points", "Flow, conserved quantities and landscape", ["T5", "T6"]),
        new("T8", "A loss-level condition", "Flow, conserved quantities and landscape", ["T3", "T4", "T7"]),
        new("T9", "Reduced dynamics", "Balanced starts, any depth", ["T3", "T5"]),
        new("T10", "Time change", "Balanced starts, any depth", ["T9"]),
        new("T11", "The limit of a balanced start", "Balanced starts, any depth", ["T9", "T10"]),
        new("T12", "Rates, stage by stage", "Balanced starts, any depth", ["T7", "T11"]),
        new("T13", "Mode equations", "Two layers with a hidden neuron, any start", ["T1", "T3"]),
        new("T14", "The limit of any two-layer start", "Two layers with a hidden neuron, any start", ["T13"]),
        new("T15", "Rate", "Two layers with a hidden neuron, any start", ["T14"]),
        new("E1", "`sigma_0 > 0` is needed", "Necessity examples", ["T1"]),
        new("E2", "`p_1 != 0` is needed (balanced)", "Necessity examples", ["T6", "T11"]),
        new("E3", "The same condition, opposite signs (balanced)", "Necessity examples", ["T3", "T11", "T12"]),
        new("E4", "`p_1 != 0` is needed without balance (`N = 2`)", "Necessity examples", ["T13", "T14"]),
        new("E5", "Dropping the gap", "Necessity examples", ["E2", "T6"]),
        new("E6", "Dropping the one-neuron layer", "Necessity examples", ["T5", "T7"]),
    ];

    public static TheoryItem? Find(string id) => Items.FirstOrDefault(i => i.Id == id);

    /// <summary>The items a lemma's <c>theory</c> field names ("T3", "T3, T5"); unknown names are left out.</summary>
    public static IEnumerable<string> Cited(string theory) =>
        theory.Split([',', ' ', ';', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(t => Find(t) is not null).Distinct();
}

/// <summary>How far an item is checked, strongest first; <see cref="Failing"/> when a lemma about it did not come out as expected.</summary>
public enum LedgerStatus { Failing, ProvedForAllSizes, ProvedAtInstances, NumericalEvidenceOnly, ControlsOnly, Absent }

/// <summary>What one verified row contributes to its item.</summary>
public enum LedgerPart { ProofForAllSizes, ProofAtInstance, RefutedControl, NumericalEvidence, NotAsExpected }

/// <summary>One recorded verdict of a lemma on one network (from a verify run), as the ledger lists it.</summary>
public sealed record LedgerRow(string LemmaId, string Path, string Network, string Method, string Expected, string Status, bool AsExpected, string Basis, string Detail)
{
    public bool AllSizes => Network.StartsWith("all sizes", StringComparison.Ordinal);

    public LedgerPart Part => !AsExpected ? LedgerPart.NotAsExpected
        : Status is "supported" or "contradicted" ? LedgerPart.NumericalEvidence
        : Expected == "fails" ? LedgerPart.RefutedControl
        : AllSizes ? LedgerPart.ProofForAllSizes
        : LedgerPart.ProofAtInstance;

    public static LedgerRow Of(LemmaResult r) => new(r.LemmaId, r.Path, r.Network, r.Method, r.Expected.ToString().ToLowerInvariant(),
        r.Outcome.Status.ToString().ToLowerInvariant(), r.AsExpected, r.Outcome.Basis, r.Outcome.Detail);
}

/// <summary>One item's line of the ledger: its rows and the status they add up to.</summary>
public sealed record LedgerEntry(TheoryItem Item, IReadOnlyList<LedgerRow> Rows)
{
    public int Count(LedgerPart part) => Rows.Count(r => r.Part == part);

    public LedgerStatus Status =>
        Rows.Count == 0 ? LedgerStatus.Absent
        : Count(LedgerPart.NotAsExpected) > 0 ? LedgerStatus.Failing
        : Count(LedgerPart.ProofForAllSizes) > 0 ? LedgerStatus.ProvedForAllSizes
        : Count(LedgerPart.ProofAtInstance) > 0 ? LedgerStatus.ProvedAtInstances
        : Count(LedgerPart.NumericalEvidence) > 0 ? LedgerStatus.NumericalEvidenceOnly
        : LedgerStatus.ControlsOnly;

    public IEnumerable<string> Files => Rows.Select(r => r.Path).Distinct();
}

/// <summary>The ledger keyed to the theory items (<c>dlp status</c>): which parts are proved for all sizes, proved at instances,
/// supported by numerical evidence only, or absent; plus the rows that cite no item and the errors of the run.</summary>
public sealed record TheoryLedger(IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<LedgerRow> Uncited, IReadOnlyList<string> Errors, string Source)
{
    /// <summary>Groups recorded rows by the items their lemma's <c>theory</c> field cites, each row with its lemma's field.</summary>
    public static TheoryLedger Build(IReadOnlyList<(LedgerRow Row, string Theory)> rows, IReadOnlyList<string> errors, string source)
    {
        var entries = TheoryCatalog.Items.Select(item => new LedgerEntry(item,
            rows.Where(r => TheoryCatalog.Cited(r.Theory).Contains(item.Id)).Select(r => r.Row).ToList())).ToList();
        var uncited = rows.Where(r => !TheoryCatalog.Cited(r.Theory).Any()).Select(r => r.Row).ToList();
        return new TheoryLedger(entries, uncited, errors, source);
    }

    public static TheoryLedger Of(VerifyReport report, string source) =>
        Build(report.Results.Select(r => (LedgerRow.Of(r), r.Theory)).ToList(), report.Errors, source);

    public static string Describe(LedgerStatus s) => s switch
    {
        LedgerStatus.Failing => "failing",
        LedgerStatus.ProvedForAllSizes => "proved for all sizes",
        LedgerStatus.ProvedAtInstances => "proved at instances",
        LedgerStatus.NumericalEvidenceOnly => "numerical evidence only",
        LedgerStatus.ControlsOnly => "refuted controls only",
        _ => "absent",
    };
}
