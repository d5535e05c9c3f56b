using Mono.Cecil;

namespace MlNetDeep.Publicizer;

/// <summary>
/// Writes a copy of each input assembly in which every type of a <c>Microsoft.ML</c> namespace, and every
/// internal, <c>private protected</c> or <c>protected internal</c> member of those types, is public.
/// The copies are compile-only references: the real assemblies are used at run time, where the consuming
/// assembly declares <c>IgnoresAccessChecksToAttribute</c> for each of them.
/// </summary>
/// <remarks>
/// Usage: <c>MlNetDeep.Publicizer &lt;output directory&gt; &lt;assembly&gt;...</c>.
/// Private members stay private (making them public would let them hide or clash with members of derived
/// classes), <c>protected</c> members stay protected, and types outside <c>Microsoft.ML*</c> namespaces
/// (compiler-embedded attributes, polyfills) keep their accessibility so they cannot clash with the
/// framework's own types. Virtual members are rewritten by the same rule as the rest, so an override and
/// the member it overrides stay equally accessible inside and across the rewritten assemblies.
/// </remarks>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("Usage: MlNetDeep.Publicizer <output directory> <assembly>...");
            return 2;
        }

        var outputDirectory = args[0];
        Directory.CreateDirectory(outputDirectory);
        var resolver = new DefaultAssemblyResolver();
        foreach (var directory in args.Skip(1).Select(Path.GetDirectoryName).Distinct())
        {
            resolver.AddSearchDirectory(directory);
        }

        foreach (var input in args.Skip(1))
        {
            var output = Path.Combine(outputDirectory, Path.GetFileName(input));
            using (var assembly = AssemblyDefinition.ReadAssembly(input, new ReaderParameters { AssemblyResolver = resolver }))
            {
                var count = 0;
                foreach (var type in assembly.Modules.SelectMany(m => m.Types))
                {
                    count += Publicize(type, IsMlNetType(type));
                }

                // Written to a temporary name first so an interrupted run never leaves a half-written reference.
                var temporary = output + ".tmp";
                assembly.Write(temporary);
                File.Move(temporary, output, overwrite: true);
                Console.WriteLine($"Publicizer: {Path.GetFileName(input)}: {count} types and members made public -> {output}");
            }
        }

        return 0;
    }

    private static bool IsMlNetType(TypeDefinition type)
        => type.Namespace.StartsWith("Microsoft.ML", StringComparison.Ordinal) && !type.Name.StartsWith('<');

    private static int Publicize(TypeDefinition type, bool rewrite)
    {
        if (!rewrite)
        {
            return 0;
        }

        var count = 0;
        if (type.IsNested)
        {
            if (!type.IsNestedPublic && !type.Name.StartsWith('<'))
            {
                type.IsNestedPublic = true;
                count++;
            }
        }
        else if (!type.IsPublic)
        {
            type.IsPublic = true;
            count++;
        }

        foreach (var field in type.Fields)
        {
            if (field.IsAssembly || field.IsFamilyAndAssembly || field.IsFamilyOrAssembly)
            {
                field.IsPublic = true;
                count++;
            }
        }

        // Property and event accessors are methods, so this covers them too.
        foreach (var method in type.Methods)
        {
            if (method.IsAssembly || method.IsFamilyAndAssembly || method.IsFamilyOrAssembly)
            {
                method.IsPublic = true;
                count++;
            }
        }

        foreach (var nested in type.NestedTypes)
        {
            count += Publicize(nested, !nested.Name.StartsWith('<'));
        }

        return count;
    }
}
