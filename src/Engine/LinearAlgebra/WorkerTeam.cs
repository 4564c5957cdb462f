using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.LinearAlgebra;

/// <summary>
/// A few long-lived helper threads for the matrix products. The caller runs part 0 itself and helpers run
/// the others; a helper that has just finished spins briefly for the next product (a mini-batch issues
/// several products a few microseconds apart, and waking a blocked thread would cost more than the
/// product) and then blocks on a monitor. Nothing is allocated per call. One product uses the team at a
/// time; a caller that finds it busy runs every part itself, which gives the same result because the
/// parts never share a sum.
/// </summary>
internal static class WorkerTeam
{
    /// <summary>How long an idle helper spins before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

    private static readonly Lock Gate = new();
    private static Helper[] s_helpers = [];
    private static int s_pending;

    /// <summary>Helpers that can run at once beside the caller.</summary>
    public static int MaxParts => Environment.ProcessorCount;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ParallelWork work, int parts)
    {
        parts = Math.Min(parts, MaxParts);
        if (parts <= 1 || !Gate.TryEnter())
        {
            for (int part = 0; part < parts; part++) work.Execute(part, parts);
            return;
        }

        try
        {
            if (s_helpers.Length < parts - 1) Grow(parts - 1);
            Volatile.Write(ref s_pending, parts - 1);
            for (int h = 0; h < parts - 1; h++) s_helpers[h].Start(work, h + 1, parts);
            Exception? callerError = null;
            try
            {
                work.Execute(0, parts);
            }
            catch (Exception e)
            {
                callerError = e;
            }

            var spinner = new SpinWait();
            while (Volatile.Read(ref s_pending) != 0) spinner.SpinOnce(sleep1Threshold: -1);
            if (callerError is not null) ExceptionDispatchInfo.Throw(callerError);
            for (int h = 0; h < parts - 1; h++) s_helpers[h].RethrowError();
        }
        finally
        {
            Gate.Exit();
        }
    }

    private static void Grow(int count)
    {
        var helpers = new Helper[count];
        s_helpers.CopyTo(helpers, 0);
        for (int h = s_helpers.Length; h < count; h++) helpers[h] = new Helper(h);
        s_helpers = helpers;
    }

    private sealed class Helper
    {
        private readonly object _sleep = new();
        private ParallelWork? _work;
        private int _part, _parts, _sleeping;
        private Exception? _error;

        public Helper(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"gemm-helper-{index + 1}" };
            thread.Start();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Start(ParallelWork work, int part, int parts)
        {
            _part = part;
            _parts = parts;
            Volatile.Write(ref _work, work);
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                lock (_sleep) Monitor.PulseAll(_sleep);
            }
        }

        public void RethrowError()
        {
            Exception? error = _error;
            if (error is null) return;
            _error = null;
            ExceptionDispatchInfo.Throw(error);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            while (true)
            {
                ParallelWork work = WaitForWork();
                try
                {
                    work.Execute(_part, _parts);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                Volatile.Write(ref _work, null);
                Interlocked.Decrement(ref s_pending);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ParallelWork WaitForWork()
        {
            long started = Stopwatch.GetTimestamp();
            while (true)
            {
                if (Volatile.Read(ref _work) is { } work) return work;
                if (Stopwatch.GetTimestamp() - started < SpinTicks)
                {
                    if (X86Base.IsSupported) X86Base.Pause();
                    else Thread.SpinWait(1);
                    continue;
                }

                // Announce the sleep, then look again under the lock: Start either sees the flag and pulses
                // (it must take the lock, so it cannot pulse before we wait), or we see its work.
                Interlocked.Exchange(ref _sleeping, 1);
                lock (_sleep)
                {
                    while (Volatile.Read(ref _work) is null) Monitor.Wait(_sleep);
                }
                Interlocked.Exchange(ref _sleeping, 0);
                started = Stopwatch.GetTimestamp();
            }
        }
    }
}
