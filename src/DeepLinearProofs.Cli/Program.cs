namespace DeepLinearProofs.Cli;

public static class Program
{
    public static int Main(string[] args) => DlpApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
}
