using DeepLinearProofs.Algebra;

namespace DeepLinearProofs.Dynamics.Numerics;

/// <summary>
/// The real-number type an integration runs in: <see cref="F64"/> (IEEE double) or
/// <see cref="DoubleDouble"/> (about 32 digits), so that one integrator serves both precisions
/// ("--precision").
/// </summary>
public interface IReal<T> where T : struct, IReal<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    static abstract T operator +(T x, T y);
    static abstract T operator -(T x, T y);
    static abstract T operator -(T x);
    static abstract T operator *(T x, T y);
    static abstract T operator /(T x, T y);
    static abstract T operator *(double c, T y);
    static abstract T FromDouble(double value);

    /// <summary>The value of an exact rational, rounded to this precision.</summary>
    static abstract T FromRational(Rational value);

    static abstract T Sqrt(T x);

    /// <summary>Unit roundoff of the type (2^-53 for double).</summary>
    static abstract double Epsilon { get; }

    /// <summary>"double" or "double-double".</summary>
    static abstract string Name { get; }

    /// <summary>The nearest double.</summary>
    double ToDouble();
}

/// <summary>IEEE double as an <see cref="IReal{T}"/>; the JIT compiles it to plain double arithmetic.</summary>
public readonly record struct F64(double Value) : IReal<F64>
{
    public static F64 Zero => new(0);
    public static F64 One => new(1);
    public static F64 operator +(F64 x, F64 y) => new(x.Value + y.Value);
    public static F64 operator -(F64 x, F64 y) => new(x.Value - y.Value);
    public static F64 operator -(F64 x) => new(-x.Value);
    public static F64 operator *(F64 x, F64 y) => new(x.Value * y.Value);
    public static F64 operator /(F64 x, F64 y) => new(x.Value / y.Value);
    public static F64 operator *(double c, F64 y) => new(c * y.Value);
    public static F64 FromDouble(double value) => new(value);
    public static F64 FromRational(Rational value) => new(value.ToDouble());
    public static F64 Sqrt(F64 x) => new(Math.Sqrt(x.Value));
    public static double Epsilon => Math.Pow(2, -53);
    public static string Name => "double";
    public double ToDouble() => Value;
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
