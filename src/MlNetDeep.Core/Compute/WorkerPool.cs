using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MlNetDeep.Compute;

/// <summary>
/// One piece of work split into independent parts <c>0 … parts-1</c>, run by <see cref="WorkerPool.Run{TWork}"/>.
/// Parts may run on any thread and in any order, so each must touch data no other part writes.
/// </summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of the work.</summary>
    /// <param name="part">The part index, in <c>[0, parts)</c>.</param>
    void Execute(int part);
}

/// <summary>
/// A persistent pool of background worker threads for short, frequent data-parallel calls
/// (GEMM, elementwise kernels, layers). A call costs a fraction of a microsecond when the workers
/// are awake, where <see cref="Parallel.For(int, int, Action{int})"/> costs tens of microseconds
/// after the thread pool idles.
/// </summary>
/// <remarks>
/// Workers spin for <see cref="SpinMicroseconds"/> after their last part, then park on a semaphore.
/// The calling thread takes parts too, so <c>threads</c> counts the caller. Parts are claimed from
/// a shared counter, so a slow or descheduled thread does not hold the others back; a call may instead pin
/// one part to each thread (part 0 on the caller, part i on worker i), so that repeated calls find each part's
/// data in the same core's cache.
/// One call at a time owns the workers: a call made while another is in flight (from another thread,
/// or nested inside a part) runs all its parts on its own thread instead of waiting, so callers
/// never deadlock and results never depend on which thread ran a part.
/// No managed memory is allocated per call.
/// </remarks>
internal sealed unsafe class WorkerPool
{
    /// <summary>
    /// How long an idle worker spins before it parks: longer than the single-threaded stretches of a training step
    /// (normalization, activation and dropout passes between two GEMMs), so the next GEMM does not wait for a
    /// parked worker to wake.
    /// </summary>
    public const int SpinMicroseconds = 1000;

    private static readonly long SpinTicks = Math.Max(1, Stopwatch.Frequency * SpinMicroseconds / 1_000_000);

    [ThreadStatic]
    private static int t_depth;

    private readonly Worker[] _workers;
    private readonly object _gate = new();
    private int _started;

    // The call in flight; written by the owner of _gate before workers are signalled.
    private delegate*<void*, int, void> _invoke;
    private void* _state;
    private int _parts;
    private bool _pinned;
    private int _nextPart;
    private int _pending;
    private Exception? _error;

    /// <summary>Creates a pool that can run up to <paramref name="maxThreads"/> threads at once, the caller included.</summary>
    /// <param name="maxThreads">At least 1; the pool owns <c>maxThreads - 1</c> worker threads, started on first need.</param>
    public WorkerPool(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _workers = new Worker[maxThreads - 1];
    }

    /// <summary>The process-wide pool, sized to the processor count.</summary>
    public static WorkerPool Shared { get; } = new(Environment.ProcessorCount);

    /// <summary>The most threads a call can use, the caller included.</summary>
    public int MaxThreads => _workers.Length + 1;

    /// <summary>
    /// Runs <c>work.Execute(part)</c> once for every <c>part</c> in <c>[0, parts)</c> on up to
    /// <paramref name="threads"/> threads (the caller is one of them) and returns when all have finished.
    /// </summary>
    /// <typeparam name="TWork">The work; a struct so the call is specialized and allocates nothing.</typeparam>
    /// <param name="parts">How many parts (0 does nothing).</param>
    /// <param name="threads">How many threads may share the parts; clamped to <c>[1, min(parts, MaxThreads)]</c>.</param>
    /// <param name="work">
    /// The work. Parts run on a copy on the caller's stack (so it cannot move while workers read it),
    /// which is copied back when the call ends; parts should write their results through the
    /// pointers, arrays or spans the work holds.
    /// </param>
    /// <param name="pinned">
    /// When there are as many parts as threads, run part 0 on the caller and part i on worker i, every call alike:
    /// for work that reads the same large data in every call (the weights of a network scoring one row at a time),
    /// which then stays in each core's cache. A late worker then delays the call, so pin only such work.
    /// </param>
    /// <exception cref="Exception">The first exception thrown by a part, rethrown on the caller after every thread has stopped; parts not yet started are skipped.</exception>
    public void Run<TWork>(int parts, int threads, ref TWork work, bool pinned = false)
        where TWork : struct, IParallelWork, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        if (parts == 0)
        {
            return;
        }

        var helpers = Math.Min(Math.Min(threads, parts), MaxThreads) - 1;
        if (helpers <= 0 || t_depth > 0 || !Monitor.TryEnter(_gate))
        {
            RunInline(parts, ref work);
            return;
        }

        var local = work;
        t_depth++;
        try
        {
            EnsureStarted(helpers);
            _invoke = &Invoke<TWork>;
            _state = Unsafe.AsPointer(ref local);
            _parts = parts;
            _pinned = pinned && parts == helpers + 1;
            _nextPart = 0;
            _error = null;
            Volatile.Write(ref _pending, helpers);
            for (var i = 0; i < helpers; i++)
            {
                _workers[i].Signal();
            }

            RunShare(0);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _pending) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            _invoke = null;
            _state = null;
            var error = _error;
            _error = null;
            if (error is not null)
            {
                ExceptionDispatchInfo.Throw(error);
            }
        }
        finally
        {
            t_depth--;
            work = local;
            Monitor.Exit(_gate);
        }
    }

    private static void RunInline<TWork>(int parts, ref TWork work)
        where TWork : struct, IParallelWork, allows ref struct
    {
        t_depth++;
        try
        {
            for (var part = 0; part < parts; part++)
            {
                work.Execute(part);
            }
        }
        finally
        {
            t_depth--;
        }
    }

    private static void Invoke<TWork>(void* state, int part)
        where TWork : struct, IParallelWork, allows ref struct
        => Unsafe.AsRef<TWork>(state).Execute(part);

    /// <summary>
    /// Runs thread <paramref name="thread"/>'s share of the call in flight (the caller is thread 0): its own part in a
    /// pinned call, else parts claimed from the shared counter until none is left or a part has failed.
    /// </summary>
    private void RunShare(int thread)
    {
        if (_pinned)
        {
            RunPart(thread);
            return;
        }

        var parts = _parts;
        int part;
        while ((part = Interlocked.Increment(ref _nextPart) - 1) < parts)
        {
            if (!RunPart(part))
            {
                Volatile.Write(ref _nextPart, parts);
            }
        }
    }

    /// <summary>Runs one part of the call in flight; records its exception and returns false when it throws.</summary>
    private bool RunPart(int part)
    {
        try
        {
            _invoke(_state, part);
            return true;
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
            return false;
        }
    }

    private void EnsureStarted(int count)
    {
        for (; _started < count; _started++)
        {
            var worker = new Worker(this, _started + 1);
            _workers[_started] = worker;
            var thread = new Thread(worker.Loop, maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"MlNetDeep worker {_started + 1}",
            };
            thread.Start();
        }
    }

    /// <summary>One worker thread: waits for its flag, runs parts, reports completion.</summary>
    /// <param name="pool">The pool the worker serves.</param>
    /// <param name="index">The worker's number, from 1 (the caller is 0): the part it runs in a pinned call.</param>
    private sealed class Worker(WorkerPool pool, int index)
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _hasWork;
        private int _parked;

        /// <summary>Hands the call in flight to this worker, waking it if parked.</summary>
        public void Signal()
        {
            Volatile.Write(ref _hasWork, 1);
            if (Interlocked.Exchange(ref _parked, 0) == 1)
            {
                _wake.Release();
            }
        }

        public void Loop()
        {
            t_depth = 1;
            while (true)
            {
                WaitForWork();
                pool.RunShare(index);
                Volatile.Write(ref _hasWork, 0);
                Interlocked.Decrement(ref pool._pending);
            }
        }

        private void WaitForWork()
        {
            var spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _hasWork) == 0)
            {
                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(8);
                    continue;
                }

                // Park. Signal sets _hasWork before it reads _parked, and both sides use full fences,
                // so either we see the work here or Signal sees _parked and releases the semaphore.
                Interlocked.Exchange(ref _parked, 1);
                if (Volatile.Read(ref _hasWork) == 0)
                {
                    _wake.Wait();
                }

                Interlocked.Exchange(ref _parked, 0);
                spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            }
        }
    }
}
