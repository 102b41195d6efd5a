namespace SpectralGate.Engine.Snapshots;

/// <summary>
/// The class part of a snapshot's file name: the test class without its namespace, with its outer classes
/// (<c>Ns.Outer+Inner</c> → <c>Outer.Inner</c>), so nested <c>A+Tests</c> and <c>B+Tests</c> in one folder get files
/// of their own (Verify names nested types the same way).
/// </summary>
public static class SnapshotClassName
{
    /// <param name="fullName">The test's class as the framework gives it (<c>Namespace.Outer+Inner</c>), or null.</param>
    public static string FromTestClass(string? fullName)
    {
        if (string.IsNullOrEmpty(fullName)) return "Test";
        int generic = fullName.IndexOf('[');
        string name = generic >= 0 ? fullName[..generic] : fullName;
        int nested = name.IndexOf('+');
        string outermost = nested >= 0 ? name[..nested] : name;
        string typeName = outermost[(outermost.LastIndexOf('.') + 1)..] + (nested >= 0 ? name[nested..] : "");
        return typeName.Replace('+', '.');
    }
}
