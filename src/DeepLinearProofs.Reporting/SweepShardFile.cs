using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DeepLinearProofs.Algebra;
using DeepLinearProofs.Dynamics.Simulation;
using DeepLinearProofs.Networks;

namespace DeepLinearProofs.Reporting;

/// <summary>The shards found in a folder, checked to be one complete sweep: its parameters and the tally of every shard.</summary>
public sealed record SweepShardSet(JsonObject Parameters, int Shards, IReadOnlyList<SweepTally> Tallies);

/// <summary>
/// <c>DIR/sweep-shard-i-of-n.json</c>: the tally of one shard of a sweep and every parameter that affects its results, so
/// that <c>dlp sweep merge</c> can refuse shards of different sweeps. Written atomically (a temporary file renamed over
/// the old one), so a re-run shard replaces its file and a killed run leaves the old file or none.
/// </summary>
public static partial class SweepShardFile
{
    public const string Format = "dlp sweep shard, version 1";

    public static string FileName(SweepShard shard) => $"sweep-shard-{shard.Index}-of-{shard.Of}.json";

    [GeneratedRegex(@"^sweep-shard-(\d+)-of-(\d+)\.json$")]
    private static partial Regex NamePattern();

    /// <summary>Every parameter that affects a sweep's results, in a fixed order: merges compare them key by key.</summary>
    public static JsonObject Parameters(SweepRequest q)
    {
        var (method, reduction) = Sweep.StartSettings(q);
        return new JsonObject
        {
            ["widths"] = new JsonArray(q.Architecture.Widths.Select(w => (JsonNode)w).ToArray()),
            ["target"] = q.Target.Describe(),
            ["sampler"] = q.Sampler,
            ["count"] = q.Count,
            ["seed"] = q.Seed,
            ["t_max"] = q.TMax,
            ["rtol"] = q.RelTol,
            ["atol"] = q.AbsTol,
            ["method"] = method,
            ["reduction"] = reduction,
            ["batched"] = q.Batched,
            ["candidate"] = q.CandidateText,
            ["tool"] = ToolVersion.Value,
        };
    }

    /// <summary>The version of the computing assemblies and a digest of their bytes (a rebuild with changed code differs).</summary>
    private static readonly Lazy<string> ToolVersion = new(() =>
    {
        var assemblies = new[] { typeof(Rational).Assembly, typeof(Architecture).Assembly, typeof(Sweep).Assembly, typeof(Proofs.CandidateCharacterisation).Assembly };
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var a in assemblies)
            if (a.Location is { Length: > 0 } path && File.Exists(path)) sha.AppendData(File.ReadAllBytes(path));
        var version = typeof(Sweep).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";
        return $"dlp {version}, build {Convert.ToHexStringLower(sha.GetHashAndReset())[..16]}";
    });

    /// <summary>Writes DIR/sweep-shard-i-of-n.json through a temporary file in DIR and returns its path.</summary>
    public static string Write(SweepRequest q, SweepShard shard, SweepTally tally, string dir)
    {
        Directory.CreateDirectory(dir);
        var limits = new JsonArray(tally.Limits.Select(l => (JsonNode)new JsonObject { ["limit"] = l.Limit, ["count"] = l.Count, ["first_start"] = l.FirstStart }).ToArray());
        JsonNode? confusion = tally.Confusion is { } c
            ? new JsonObject { ["predicted_yes_reached"] = c[1, 1], ["predicted_yes_not"] = c[1, 0], ["predicted_no_reached"] = c[0, 1], ["predicted_no_not"] = c[0, 0] }
            : null;
        var file = new JsonObject
        {
            ["format"] = Format,
            ["shard"] = shard.Index,
            ["shards"] = shard.Of,
            ["first_start"] = tally.First,
            ["end_start"] = tally.End,
            ["parameters"] = Parameters(q),
            ["wall_s"] = tally.WallSeconds,
            ["limits"] = limits,
            ["confusion"] = confusion,
            ["candidate_breaks"] = tally.Breaks,
            ["first_break"] = tally.FirstBreak is null ? null : JsonSerializer.SerializeToNode(tally.FirstBreak, JsonOutput.Options),
        };
        var path = Path.Combine(dir, FileName(shard));
        var temp = Path.Combine(dir, $".{FileName(shard)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, file.ToJsonString(JsonOutput.Options));
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Reads every shard file of <paramref name="dir"/> and checks that they are the n shards of one sweep; throws
    /// <see cref="NetworkInputException"/> with one line naming the folder or file otherwise. Other files are ignored.
    /// </summary>
    public static SweepShardSet ReadAll(string dir)
    {
        if (!Directory.Exists(dir)) throw new NetworkInputException($"sweep merge {dir}: no such folder; give the --out folder of the shard runs");
        var found = Directory.EnumerateFiles(dir).Select(p => (Path: p, Match: NamePattern().Match(Path.GetFileName(p))))
            .Where(f => f.Match.Success).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (found.Count == 0)
            throw new NetworkInputException($"sweep merge {dir}: no sweep-shard-i-of-n.json files there; run 'dlp sweep ... --shard i/n --out {dir}' for i = 0..n-1 first");
        var layouts = found.Select(f => f.Match.Groups[2].Value).Distinct().ToList();
        if (layouts.Count > 1)
        {
            var a = found.First(f => f.Match.Groups[2].Value == layouts[0]);
            var b = found.First(f => f.Match.Groups[2].Value == layouts[1]);
            throw new NetworkInputException($"sweep merge {dir}: shards of {layouts.Count} different layouts ({Path.GetFileName(a.Path)}, {Path.GetFileName(b.Path)}); keep one layout's files (delete the others) or merge them from separate folders");
        }
        var shards = found.Select(f => ReadOne(f.Path)).OrderBy(s => s.Shard.Index).ToList();
        int n = shards[0].Shard.Of;
        var reference = shards[0];
        foreach (var s in shards.Skip(1))
            foreach (var key in reference.Parameters.Select(p => p.Key).Union(s.Parameters.Select(p => p.Key)))
                if (!JsonNode.DeepEquals(reference.Parameters[key], s.Parameters[key]))
                    throw new NetworkInputException($"{s.Path}: parameter {key} is {Show(s.Parameters[key])}, but {Path.GetFileName(reference.Path)} has {Show(reference.Parameters[key])}; these are shards of different sweeps: re-run this shard with the same parameters (it replaces the file) or keep the sweeps in separate folders");
        var missing = Enumerable.Range(0, n).Except(shards.Select(s => s.Shard.Index)).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? $" and {missing.Count - 10} more" : "");
            throw new NetworkInputException($"sweep merge {dir}: missing {(missing.Count == 1 ? "shard" : "shards")} {list} of {n} (0..{n - 1}); run them with --shard i/{n} --out {dir} and merge again");
        }
        return new SweepShardSet(reference.Parameters, n, shards.Select(s => s.Tally).ToList());
    }

    private static string Show(JsonNode? v) => v is null ? "absent" : v.ToJsonString();

    private sealed record ShardFile(string Path, SweepShard Shard, JsonObject Parameters, SweepTally Tally);

    private static ShardFile ReadOne(string path)
    {
        string Bad(string why) => $"{path}: not a readable sweep shard file ({why}); delete it and re-run that shard";
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new NetworkInputException(Bad("not a JSON object")); }
        catch (JsonException e) { throw new NetworkInputException(Bad($"invalid JSON: {e.Message.Split('\n')[0]}")); }
        try
        {
            if ((string?)root["format"] != Format) throw new NetworkInputException(Bad($"format is {Show(root["format"])}, expected \"{Format}\""));
            var shard = new SweepShard((int)root["shard"]!, (int)root["shards"]!);
            var name = NamePattern().Match(System.IO.Path.GetFileName(path));
            if (name.Groups[1].Value != shard.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) || name.Groups[2].Value != shard.Of.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new NetworkInputException(Bad($"it holds shard {shard}, not the one its name says"));
            var parameters = root["parameters"] as JsonObject ?? throw new NetworkInputException(Bad("no parameters"));
            int count = (int)parameters["count"]!;
            int first = (int)root["first_start"]!, end = (int)root["end_start"]!;
            if (shard.Of < 1 || shard.Index < 0 || shard.Index >= shard.Of || (first, end) != shard.Starts(count))
                throw new NetworkInputException(Bad($"starts [{first}, {end}) are not shard {shard} of {count} starts"));
            var limits = ((JsonArray)root["limits"]!).Select(l => new LimitTally((string)l!["limit"]!, (int)l["count"]!, (int)l["first_start"]!)).ToList();
            int[,]? confusion = root["confusion"] is JsonObject c
                ? new int[2, 2] { { (int)c["predicted_no_not"]!, (int)c["predicted_no_reached"]! }, { (int)c["predicted_yes_not"]!, (int)c["predicted_yes_reached"]! } }
                : null;
            var firstBreak = root["first_break"]?.Deserialize<CandidateBreak>(JsonOutput.Options);
            if (limits.Sum(l => l.Count) != end - first) throw new NetworkInputException(Bad($"its limit counts add up to {limits.Sum(l => l.Count)}, not the shard's {end - first} starts"));
            return new ShardFile(path, shard, parameters, new SweepTally(first, end, limits, confusion, (int)root["candidate_breaks"]!, firstBreak, (double)root["wall_s"]!));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or InvalidCastException or JsonException or KeyNotFoundException)
        {
            throw new NetworkInputException(Bad($"a field is missing or of the wrong type: {e.Message.Split('\n')[0]}"));
        }
    }
}
