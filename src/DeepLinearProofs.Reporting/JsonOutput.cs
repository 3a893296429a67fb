using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeepLinearProofs.Reporting;

/// <summary>
/// The one JSON convention of every file and report dlp writes: snake_case keys (records and anonymous objects alike, via
/// <see cref="JsonNamingPolicy.SnakeCaseLower"/>), indented, unescaped non-ASCII, NaN and infinities as strings.
/// Data never become keys (variable names, for example, are values in a list), so every key matches ^[a-z][a-z0-9_]*$.
/// </summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(object? value) => JsonSerializer.Serialize(value, Options);
}
