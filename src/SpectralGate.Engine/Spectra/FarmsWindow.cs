namespace SpectralGate.Engine.Spectra;

/// <summary>One FARMS window: rows [RowStart, RowStart + Rows), columns [ColStart, ColStart + Cols).</summary>
public readonly record struct FarmsWindow(int RowStart, int ColStart, int Rows, int Cols);
