using DeepLinearProofs.Networks;
using DeepLinearProofs.Reporting;
using Xunit;

namespace DeepLinearProofs.Tests.Reporting;

public class NumberAndWidthTests
{
    [Theory]
    [InlineData(2.19e-12, 2, "2.19e-12")]
    [InlineData(-4.441e-16, 3, "-4.441e-16")]
    [InlineData(1.09e-9, 2, "1.09e-09")]
    [InlineData(1.5e5, 1, "1.5e+05")]
    [InlineData(0.0, 2, "0.00e+00")]
    [InlineData(1e-100, 1, "1.0e-100")]
    [InlineData(3.3e200, 0, "3e+200")]
    public void Scientific_notation_has_at_least_two_exponent_digits_and_no_padding(double x, int digits, string expected) =>
        Assert.Equal(expected, Num.Sci(x, digits));

    [Fact]
    public void Non_finite_numbers_and_general_format_are_invariant()
    {
        Assert.Equal("NaN", Num.Sci(double.NaN, 2));
        Assert.Equal("1e-05", Num.G(1e-5));
        Assert.Equal("0.125", Num.G(0.125, 4));
    }

    [Fact]
    public void A_line_is_cut_to_the_width_with_an_ellipsis_and_segments_wrap_between_pieces()
    {
        Assert.Equal("abc", Terminal.Fit("abc", 10));
        Assert.Equal("abcdefghi…", Terminal.Fit("abcdefghijklmnop", 10));
        var lines = Terminal.Wrap(["verify: 3 passed", "(2 proved,", "1 by evidence),", "0 failed, 0 inconclusive;"], 30);
        Assert.Equal(["verify: 3 passed (2 proved,", "  1 by evidence),", "  0 failed, 0 inconclusive;"], lines);
    }

    [Fact]
    public void No_source_file_formats_a_number_with_the_three_digit_exponent_specifiers()
    {
        // .NET's "e2"/"E1" specifiers print 2.19e-012; every number goes through Num instead.
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "DeepLinearProofs.sln"))) root = Path.GetDirectoryName(root);
        Assert.NotNull(root);
        var pattern = new System.Text.RegularExpressions.Regex(@"\{[^{}]+:[eE][0-9]\}|ToString\(""[eE][0-9]""");
        var offenders = Directory.GetFiles(Path.Combine(root!, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => pattern.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(root!, x.f)}:{x.i + 1}")
            .ToList();
        Assert.Empty(offenders);
    }
}
