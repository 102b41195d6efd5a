#if !NET9_0_OR_GREATER
// .NET 8 stand-ins for the newer BCL members the engine uses, so the net10.0 code stays as it is; delete with net8.0.
namespace System;

internal static class Net8Polyfills
{
    extension(Convert)
    {
        /// <summary>Lowercase hexadecimal, as .NET 9's <c>Convert.ToHexStringLower</c>.</summary>
        public static string ToHexStringLower(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

        public static string ToHexStringLower(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
    }
}
#endif
