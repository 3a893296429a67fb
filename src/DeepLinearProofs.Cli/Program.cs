using System.Runtime.InteropServices;

namespace DeepLinearProofs.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        // Ctrl-C: cancel the running command, kill solver processes, exit 130 (see DlpApp.Interrupt).
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            DlpApp.Interrupt(interrupt, Console.Error);
        });
        return DlpApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, interrupt.Token);
    }
}
