using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SpectralGate.Analyzers.Internals;

/// <summary>One candidate operation, with lazy access to what the rules share about the method that holds it.</summary>
internal readonly struct RuleContext
{
    private readonly OperationAnalysisContext _context;
    private readonly MethodStates _methods;

    public RuleContext(OperationAnalysisContext context, TorchSymbols symbols, MethodStates methods)
    {
        _context = context;
        _methods = methods;
        Symbols = symbols;
    }

    public IOperation Operation => _context.Operation;

    public TorchSymbols Symbols { get; }

    public AnalyzerOptions Options => _context.Options;

    public Compilation Compilation => _context.Compilation;

    public ISymbol ContainingSymbol => _context.ContainingSymbol;

    /// <summary>The method body (or initializer) that holds the operation.</summary>
    public IOperation Root => ValueFlow.GetRoot(_context.Operation);

    /// <summary>Where the method's locals come from; built on first use, once per method for all rules.</summary>
    public ValueFlow Flow => _methods.Get(Root).Flow;

    /// <summary>What a rule computed once about a type (such as its mixer fields), shared by all its candidates.</summary>
    public T TypeState<T>(string rule, INamedTypeSymbol type, System.Func<INamedTypeSymbol, T> create)
        where T : class => _methods.TypeState(rule, type, create);

    public void Report(Diagnostic diagnostic) => _context.ReportDiagnostic(diagnostic);

    /// <summary>Reports unless the same rule already reported at <paramref name="key"/> in this method.</summary>
    public void ReportOnce(IOperation key, Diagnostic diagnostic)
    {
        if (_methods.Get(Root).Reported.TryAdd((diagnostic.Id, key), true))
        {
            _context.ReportDiagnostic(diagnostic);
        }
    }
}

/// <summary>Per-compilation cache of per-method state, keyed by the method's operation tree.</summary>
internal sealed class MethodStates
{
    private readonly ConditionalWeakTable<IOperation, MethodState> _states = new();
    private readonly ConcurrentDictionary<(string Rule, ISymbol Type), object> _types = new();

    public MethodState Get(IOperation root) => _states.GetValue(root, r => new MethodState(r));

    public T TypeState<T>(string rule, INamedTypeSymbol type, System.Func<INamedTypeSymbol, T> create)
        where T : class => (T)_types.GetOrAdd((rule, type), key => create((INamedTypeSymbol)key.Type));
}

internal sealed class MethodState
{
    private readonly IOperation _root;
    private ValueFlow? _flow;

    public MethodState(IOperation root) => _root = root;

    public ValueFlow Flow
    {
        get
        {
            // Two threads may both build it; the tables are equal, so either one is kept.
            if (_flow is null)
            {
                System.Threading.Interlocked.CompareExchange(ref _flow, new ValueFlow(_root), null);
            }

            return _flow;
        }
    }

    public ConcurrentDictionary<(string Rule, IOperation At), bool> Reported { get; } = new();
}
