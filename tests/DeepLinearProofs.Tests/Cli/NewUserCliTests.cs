using Xunit;

namespace DeepLinearProofs.Tests.Cli;

/// <summary>
/// Bad and odd input found by trying dlp as a new user (helper-cli session): every case once crashed with a stack trace,
/// hung, was silently ignored or printed a misleading or multi-line message. Each gets one line, exit 2 (64 from the parser).
/// </summary>
public class NewUserCliTests
{
    private static readonly string[] E4 = ["--widths", "3,1,3", "--target", "diag(3,2,1)", "--plot", "none"];

    private static string OneLine(int expectedCode, (int Code, string Out, string Err) r)
    {
        Assert.Equal(expectedCode, r.Code);
        Assert.DoesNotContain("   at ", r.Out + r.Err);
        Assert.DoesNotContain("Unhandled exception", r.Out + r.Err);
        return Assert.Single(r.Err.Trim().Split('\n'));
    }

    private static string Out() => Path.Combine(Path.GetTempPath(), "dlp-newuser-" + Guid.NewGuid().ToString("N")[..8]);

    private static (int Code, string Out, string Err) Simulate(params string[] extra) =>
        DlpRunner.Run(["simulate", .. E4, "--out", Out(), .. extra]);

    [Fact]
    public void A_huge_atol_is_refused_instead_of_crashing_in_the_hessian_of_an_overflowed_state()
    {
        // Was: exit 134, IndexOutOfRangeException in MathNet's eigendecomposition of a NaN Hessian.
        var line = OneLine(2, Simulate("--init", "random:seed=7,scale=0.3", "--atol", "1e300"));
        Assert.Equal("dlp: error: --atol 1e+300 is too loose to classify a limit: use at most 1e-1 (1e-10..1e-14 is typical)", line);
        Assert.Contains("--atol 1 is too loose", OneLine(2, Simulate("--init", "random:seed=7,scale=0.3", "--atol", "1")));
    }

    [Fact]
    public void The_hessian_of_a_non_finite_state_is_empty_not_an_exception()
    {
        var arch = DeepLinearProofs.Networks.Architecture.Parse("3,1,3");
        var z = DeepLinearProofs.Dynamics.Flow.NumericTarget.Of(arch, DeepLinearProofs.Networks.Target.Parse("diag(3,2,1)"));
        var flow = DeepLinearProofs.Dynamics.Flow.GradientFlow<DeepLinearProofs.Dynamics.Numerics.F64>.Create(arch, z);
        Assert.Empty(DeepLinearProofs.Dynamics.Analysis.HessianSpectrum.At(flow, [double.PositiveInfinity, 1, 1, 1, 1, 1]));
        Assert.Empty(DeepLinearProofs.Dynamics.Analysis.HessianSpectrum.At(flow, [1e200, 1e200, 1e200, 1e200, 1e200, 1e200]));
        Assert.Equal(6, DeepLinearProofs.Dynamics.Analysis.HessianSpectrum.At(flow, [1, 0, 0, 1, 0, 0]).Length);
    }

    [Fact]
    public void A_name_too_long_for_a_file_is_refused_before_the_run()
    {
        // Was: exit 134, PathTooLongException after the integration, when the CSV was written.
        var dir = Out();
        var line = OneLine(2, DlpRunner.Run(["simulate", .. E4, "--init", "zero", "--out", dir, "--name", new string('a', 300)]));
        Assert.Contains("--name is 300 bytes long", line);
        Assert.False(Directory.Exists(dir));
        Assert.Contains("control character", OneLine(2, Simulate("--init", "zero", "--name", "a\nb")));
    }

    [Theory]
    [InlineData("balanced:", "dlp: error: --init 'balanced:': a balanced start needs sigma=")]
    [InlineData("weights:W1=[[1,2,3]],W2=[[1],[2],[3]", "cannot read 'W2=[[1],[2],[3]'")] // was: "missing W2"
    [InlineData("weights:W1=[[1,2,3]],W1=[[1],[2],[3]]", "W1 is given twice")]              // was: a shape error for the second W1
    [InlineData("weights:W99999999999=[[1]]", "W99999999999 is not a layer")]               // int.Parse overflow guarded
    [InlineData("weights:W1=[[1e20,2,3]],W2=[[1],[2],[3]]", "initial weight W1[1,1] is 1e+20")] // was: "entry 0"
    [InlineData("zero:x=1", "zero takes no parameters")]                                    // was: silently accepted
    public void Init_errors_name_the_flag_and_what_is_wrong(string init, string expected)
    {
        Assert.Contains(expected, OneLine(2, Simulate("--init", init)));
        Assert.StartsWith("dlp: error: --init '", OneLine(2, Simulate("--init", init)));
    }

    [Fact]
    public void A_huge_sigma_is_printed_as_a_number_not_400_digits()
    {
        var line = OneLine(2, Simulate("--init", "balanced:sigma=1e30,x=0;1;0,y=0;1;0"));
        Assert.Contains("sigma = 1e+30 is beyond 1000000", line);
        Assert.True(line.Length < 200, line);
    }

    [Fact]
    public void Target_and_widths_errors_name_their_flag()
    {
        Assert.StartsWith("dlp: error: --target 'diag()': ", OneLine(2, DlpRunner.Run("simulate", "--widths", "3,1,3", "--target", "diag()", "--init", "zero", "--out", Out())));
        Assert.StartsWith("dlp: error: --widths '3,a,3': ", OneLine(2, DlpRunner.Run("simulate", "--widths", "3,a,3", "--target", "diag(3,2,1)", "--init", "zero")));
        Assert.StartsWith("dlp: error: --target 'diag()': ", OneLine(2, DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag()", "--out", Out())));
    }

    [Theory]
    [InlineData("--reduction", "balanced", "--method", "stiff", "--method stiff applies to the full-weight integration only")]
    [InlineData("--reduction", "balanced", "--precision", "double-double", "--precision double-double applies to the full-weight integration only")]
    [InlineData("--reduction", "two-layer", "--project", "balanced", "--project balanced applies to the full-weight integration only")]
    [InlineData("--reduction", "balanced", "--structure", "dense", "--structure dense applies to the full-weight integration only")]
    public void A_choice_a_reduction_ignores_is_refused_not_silently_dropped(string f1, string v1, string f2, string v2, string expected)
    {
        // Was: exit 0, the reduction ran in double with DOP853 and the flag had no effect.
        Assert.Contains(expected, OneLine(2, Simulate("--init", "balanced:sigma=1/2,x=0;1;0,y=0;1;0", f1, v1, f2, v2)));
    }

    [Fact]
    public void Sweep_sampler_errors_name_init()
    {
        Assert.Equal("dlp: error: --init 'random:scale=-1': scale must be positive",
            OneLine(2, DlpRunner.Run("sweep", "--widths", "3,1,3", "--target", "diag(3,2,1)", "--init", "random:scale=-1", "--out", Out())));
    }

    [Fact]
    public void Parser_errors_are_one_line_in_dlp_words()
    {
        // Was: four lines ("Must be one of:" and a tab-indented list) and .NET type names.
        Assert.Equal("dlp: usage: Argument 'xml' not recognized. Must be one of: 'text', 'latex', 'json' (see 'dlp --help')",
            OneLine(64, DlpRunner.Run("derive", "--widths", "2,1,2", "--format", "xml")));
        Assert.Equal("dlp: usage: --t-max takes a number (e.g. 50, 1e-10), got 'abc' (see 'dlp --help')", OneLine(64, Simulate("--t-max", "abc")));
        var timeout = OneLine(64, DlpRunner.Run("verify", "--timeout", "NaN"));
        Assert.Contains("--timeout takes an integer", timeout);
        Assert.DoesNotContain("System.", timeout);
    }

    [Fact]
    public void Size_estimates_use_two_digit_exponents()
    {
        // Was: "~6.7E+007 flops", "~9.31E+05 GB".
        var simulate = OneLine(2, DlpRunner.Run("simulate", "--widths", "4096,1,4096", "--target", "diag(3,2,1)", "--init", "zero", "--out", Out()));
        Assert.Contains("~6.7e+07 flops", simulate);
        var derive = OneLine(2, DlpRunner.Run("derive", "--widths", "100,100,100,1,100,100,100", "--entries"));
        Assert.Matches(@"~\d\.\d+e\+\d\d GB", derive);
        Assert.DoesNotMatch("E[+-]0", simulate + derive);
    }

    [Fact]
    public void Check_and_bench_derive_on_huge_widths_are_refused_at_once()
    {
        // Were: no output for minutes (check: building the symbolic 4096-wide network; bench derive blockwise likewise).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Contains("check on widths 4096,1,4096 needs 1.7e+07 symbolic entries",
            OneLine(2, DlpRunner.Run("check", DlpRunner.Library("landscape", "t6-unique-minimiser.toml"), "--widths", "4096,1,4096")));
        Assert.Contains("bench derive on widths 4000,4000,1,4000 needs",
            OneLine(2, DlpRunner.Run("bench", "derive", "--widths", "4000,4000,1,4000", "--mode", "blockwise")));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("-1", "--scale must be a positive finite number")]
    [InlineData("NaN", "--scale must be a positive finite number")]
    public void Make_problem_refuses_a_bad_scale(string scale, string expected)
    {
        // Were: exit 134 (MathNet "Invalid parametrization", JSON cannot write NaN).
        var file = Path.Combine(Out(), "p.json");
        Assert.Contains(expected, OneLine(2, DlpRunner.Run("bench", "make-problem", "--widths", "3,1,3", "--out", file, "--scale", scale)));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Make_problem_refuses_outer_widths_whose_orthogonal_matrices_take_minutes()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Contains("d_0 and d_N up to 1024", OneLine(2, DlpRunner.Run("bench", "make-problem", "--widths", "3000,1,3000", "--out", Path.Combine(Out(), "p.json"))));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Numbers_are_read_and_printed_in_the_invariant_culture_under_any_locale()
    {
        // Was: under de_DE "--t-max 0.5" was read as 5 (the '.' a group separator) and messages printed "5,6e-15".
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var run = Simulate("--init", "zero", "--t-max", "0.5");
            Assert.Contains("t in [0, 0.5]", run.Out);
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Contains("(about 5.6e-15)", OneLine(2, Simulate("--init", "zero", "--rtol", "1e-300")));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(60)]
    public void Simulate_summary_lines_wrap_to_the_width_between_their_parts(int width)
    {
        // Was: "integration: ..." 136 characters, the T13 note 285, at the piped width of 100.
        var o = new StringWriter();
        int code = DeepLinearProofs.Cli.DlpApp.Run(["simulate", .. E4, "--init", "weights:W1=[[-1/2,3/2,2]],W2=[[1],[1],[0]]", "--t-max", "60", "--out", Out()],
            o, new StringWriter(), terminal: new DeepLinearProofs.Reporting.Terminal(width, interactive: false));
        Assert.Equal(0, code);
        var lines = o.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines.Where(l => !"│┌├└".Contains(l.FirstOrDefault())), l => Assert.True(l.Length <= width, $"{l.Length}: {l}"));
        int integration = lines.FindIndex(l => l.StartsWith("integration: ReachedEnd"));
        Assert.True(integration >= 0);
        Assert.StartsWith("  ", lines[integration + 1]); // the rest on an indented continuation, nothing cut
        Assert.Contains("Z applied as diagonal", string.Join(" ", lines));
    }

    [Fact]
    public void A_problem_file_with_a_huge_weight_names_the_file_and_the_entry()
    {
        var dir = Out();
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "huge.json");
        File.WriteAllText(file, """{"widths":[3,1,3],"target":[[3,0,0],[0,2,0],[0,0,1]],"weights":[[[1,2,3]],[[1],[2],[3e10]]]}""");
        var line = OneLine(2, DlpRunner.Run("simulate", "--problem", file, "--plot", "none", "--out", dir));
        Assert.Contains(file + ": initial weight W2[3,1] is 3e+10", line);
    }
}
