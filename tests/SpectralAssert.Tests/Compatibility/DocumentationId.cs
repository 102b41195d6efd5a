using System.Reflection;
using System.Text;

namespace SpectralAssert.Tests.Compatibility;

/// <summary>
/// The documentation ID (ECMA-334 annex D: <c>T:Ns.Type</c>, <c>M:Ns.Type.Method(Ns.Arg,System.Int32)</c>) of a type or
/// member read by reflection: the names ApiCompat writes into CompatibilitySuppressions.xml.
/// </summary>
internal static class DocumentationId
{
    public static string Of(Type type) => "T:" + TypeName(type, inSignature: false);

    public static string Of(MethodBase method)
    {
        var id = new StringBuilder("M:").Append(TypeName(method.DeclaringType!, inSignature: false)).Append('.');
        id.Append(method.IsConstructor ? (method.IsStatic ? "#cctor" : "#ctor") : method.Name.Replace('.', '#'));
        if (method.IsGenericMethodDefinition) id.Append("``").Append(method.GetGenericArguments().Length);
        var parameters = method.GetParameters();
        if (parameters.Length > 0)
            id.Append('(').AppendJoin(',', parameters.Select(p => TypeName(p.ParameterType, inSignature: true))).Append(')');
        if (method is MethodInfo { Name: "op_Implicit" or "op_Explicit" } conversion)
            id.Append('~').Append(TypeName(conversion.ReturnType, inSignature: true));
        return id.ToString();
    }

    public static string Of(FieldInfo field) => "F:" + TypeName(field.DeclaringType!, inSignature: false) + "." + field.Name;

    /// <summary>Every public type and public or protected method, constructor, accessor and field of the assemblies.</summary>
    public static HashSet<string> PublicSurface(IEnumerable<Assembly> assemblies) =>
        assemblies.SelectMany(a => a.GetExportedTypes()).SelectMany(t => Members(t).Prepend(Of(t))).ToHashSet(StringComparer.Ordinal);

    /// <summary>The members of <see cref="PublicSurface"/> marked <c>[Obsolete]</c>, directly or through their property or type.</summary>
    public static HashSet<string> ObsoleteMembers(IEnumerable<Assembly> assemblies)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assemblies.SelectMany(a => a.GetExportedTypes()))
        {
            if (type.IsDefined(typeof(ObsoleteAttribute), inherit: false))
            {
                ids.UnionWith(Members(type).Prepend(Of(type)));
                continue;
            }
            // The compiler marks a constructor of a type with required members [Obsolete] for old compilers
            // ([CompilerFeatureRequired("RequiredMembers")]): not a deprecation.
            foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
                if (method.IsDefined(typeof(ObsoleteAttribute), inherit: false) && !method.IsDefined(typeof(System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute), inherit: false))
                    ids.Add(Of(method));
            foreach (var property in type.GetProperties(declared).Where(p => p.IsDefined(typeof(ObsoleteAttribute), inherit: false)))
                ids.UnionWith(property.GetAccessors(nonPublic: true).Select(Of));
            foreach (var field in type.GetFields(declared).Where(f => f.IsDefined(typeof(ObsoleteAttribute), inherit: false)))
                ids.Add(Of(field));
        }
        return ids;
    }

    /// <summary>The public and protected methods, constructors, accessors and fields a type declares.</summary>
    public static IEnumerable<string> Members(Type type)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
            if (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) yield return Of(method);
        foreach (var field in type.GetFields(declared))
            if ((field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly) && !field.IsSpecialName) yield return Of(field);
    }

    private static string TypeName(Type type, bool inSignature)
    {
        if (type.IsByRef) return TypeName(type.GetElementType()!, inSignature) + "@";
        if (type.IsPointer) return TypeName(type.GetElementType()!, inSignature) + "*";
        if (type.IsArray)
        {
            int rank = type.GetArrayRank();
            return TypeName(type.GetElementType()!, inSignature) + (rank == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]");
        }
        if (type.IsGenericParameter)
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;

        string prefix = type.IsNested ? TypeName(type.DeclaringType!, inSignature: false) + "." : type.Namespace is { } ns ? ns + "." : "";
        string name = type.Name;
        int tick = name.IndexOf('`');
        if (!inSignature || !type.IsGenericType) return prefix + name;
        // In a signature a generic type is written with its arguments: System.Func{Ns.Layer,System.Boolean}.
        string bare = tick < 0 ? name : name[..tick];
        var ownArguments = type.GetGenericArguments().Skip(type.IsNested ? type.DeclaringType!.GetGenericArguments().Length : 0);
        return prefix + bare + "{" + string.Join(",", ownArguments.Select(a => TypeName(a, inSignature: true))) + "}";
    }
}
