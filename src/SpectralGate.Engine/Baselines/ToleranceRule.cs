namespace SpectralGate.Engine.Baselines;

/// <summary>One override: a metric (or <c>*</c>) on the layers matching a glob gets this tolerance.</summary>
public sealed record ToleranceRule(string LayerGlob, string Metric, Tolerance Tolerance);
