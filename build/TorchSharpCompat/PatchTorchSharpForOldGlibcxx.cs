// The old-glibc fix for TorchSharp 0.107: libLibTorchSharp.so requires GLIBCXX_3.4.32 (GCC 13) although the only
// symbol bound to it (std::ios_base_library_init) is never relocated. Marking that requirement weak in the copy in the
// output folder lets Debian 12 / Ubuntu 22.04 / RHEL 9 load it. Compiled as an MSBuild inline task by
// SpectralGate.TorchSharpCompat.targets and into the tests, so this stays one self-contained file.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace SpectralGate.Build
{
    /// <summary>Marks the GLIBCXX requirements that the system libstdc++ lacks weak, when no relocation uses them.</summary>
    public sealed class PatchTorchSharpForOldGlibcxx : Microsoft.Build.Utilities.Task
    {
        /// <summary>The native library to patch, in the output folder (never the NuGet cache).</summary>
        [Required]
        public string Library { get; set; } = "";

        /// <summary>The libstdc++ to compare with; the system one when empty.</summary>
        public string SystemLibStdCxx { get; set; } = "";

        /// <summary>True when the file was changed by this run.</summary>
        [Output]
        public bool Patched { get; set; }

        public override bool Execute()
        {
            if (!File.Exists(Library)) return true;
            string? system = string.IsNullOrEmpty(SystemLibStdCxx) ? ElfVersionNeeds.FindSystemLibStdCxx() : SystemLibStdCxx;
            if (system is null)
            {
                Log.LogMessage(MessageImportance.Low, "SpectralGate: no system libstdc++.so.6 found; TorchSharp's natives left as they are.");
                return true;
            }
            try
            {
                foreach (ElfVersionNeed need in ElfVersionNeeds.Read(Library))
                {
                    if (!need.Version.StartsWith("GLIBCXX_", StringComparison.Ordinal) || need.IsWeak) continue;
                    if (ElfVersionNeeds.LibraryDefinesVersion(system, need.Version)) continue;
                    if (need.IsRelocated)
                    {
                        Log.LogWarning(null, "SG9001", null, Library, 0, 0, 0, 0,
                            "{0} needs {1}, which {2} lacks and which symbols it uses ({3}) require; install a newer libstdc++ (GCC 13+).",
                            Path.GetFileName(Library), need.Version, system, string.Join(", ", need.Symbols));
                        continue;
                    }
                    if (ElfVersionNeeds.MakeWeak(Library, need.Version))
                    {
                        Patched = true;
                        Log.LogMessage(MessageImportance.Normal, "SpectralGate: marked {0} weak in {1} ({2} lacks it; no relocation uses it).", need.Version, Library, system);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                Log.LogWarning(null, "SG9002", null, Library, 0, 0, 0, 0, "Could not check TorchSharp's native library for old-glibc compatibility: {0}", e.Message);
            }
            return !Log.HasLoggedErrors;
        }
    }

    /// <summary>One versioned requirement (a Vernaux entry), e.g. GLIBCXX_3.4.32 from libstdc++.so.6.</summary>
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string library, string version, ushort flags, ushort index, long flagsOffset, IReadOnlyList<string> symbols, bool relocated)
        {
            Library = library;
            Version = version;
            Flags = flags;
            Index = index;
            FlagsOffset = flagsOffset;
            Symbols = symbols;
            IsRelocated = relocated;
        }

        public string Library { get; }
        public string Version { get; }
        public ushort Flags { get; }
        /// <summary>vna_other: the version index that .gnu.version uses for symbols bound to this requirement.</summary>
        public ushort Index { get; }
        /// <summary>File offset of vna_flags.</summary>
        public long FlagsOffset { get; }
        /// <summary>Undefined dynamic symbols bound to this version.</summary>
        public IReadOnlyList<string> Symbols { get; }
        /// <summary>True when a dynamic relocation refers to one of <see cref="Symbols"/>: the symbol is really used at run time.</summary>
        public bool IsRelocated { get; }
        public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
    }

    public static class ElfVersionNeeds
    {
        public const ushort VerFlagWeak = 2;
        private const uint ShtRela = 4;
        private const uint ShtRel = 9;
        private const uint ShtDynsym = 11;
        private const uint ShtGnuVersym = 0x6fffffff;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Lists every version requirement of the file with the symbols bound to it.</summary>
        public static IReadOnlyList<ElfVersionNeed> Read(string path)
        {
            byte[] elf = File.ReadAllBytes(path);
            return Read(elf, path);
        }

        public static IReadOnlyList<ElfVersionNeed> Read(byte[] elf, string path)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{path}: not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{path}: only 64-bit little-endian ELF files are supported.");

            long shoff = (long)U64(elf, 0x28, path);
            int shentsize = U16(elf, 0x3A, path);
            int shnum = U16(elf, 0x3C, path);
            if (shentsize < 64 || shnum == 0)
                throw new InvalidDataException($"{path}: no section headers.");

            var sections = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                sections[i] = new Section(
                    type: U32(elf, h + 4, path),
                    offset: (long)U64(elf, h + 0x18, path),
                    size: (long)U64(elf, h + 0x20, path),
                    link: U32(elf, h + 0x28, path),
                    info: U32(elf, h + 0x2C, path),
                    entsize: (long)U64(elf, h + 0x38, path));
                if (sections[i].Offset < 0 || sections[i].Size < 0 || sections[i].Offset + sections[i].Size > elf.Length)
                    if (sections[i].Type != 8 /* SHT_NOBITS */)
                        throw new InvalidDataException($"{path}: section {i} lies outside the file.");
            }

            int verneed = Array.FindIndex(sections, s => s.Type == ShtGnuVerneed);
            if (verneed < 0) return Array.Empty<ElfVersionNeed>();
            int dynsym = Array.FindIndex(sections, s => s.Type == ShtDynsym);
            int versym = Array.FindIndex(sections, s => s.Type == ShtGnuVersym);

            Section need = sections[verneed];
            Section strtab = sections[need.Link];

            // Symbol index -> version index, and the relocated symbol indices.
            var symbolsByVersion = new Dictionary<ushort, List<string>>();
            var relocatedVersions = new HashSet<ushort>();
            if (dynsym >= 0 && versym >= 0)
            {
                Section syms = sections[dynsym];
                Section symStr = sections[syms.Link];
                long count = syms.Size / 24;
                var versionOf = new ushort[count];
                for (long s = 0; s < count; s++)
                {
                    versionOf[s] = (ushort)(U16(elf, sections[versym].Offset + 2 * s, path) & 0x7fff);
                    long sym = syms.Offset + 24 * s;
                    ushort shndx = (ushort)U16(elf, sym + 6, path);
                    if (shndx != 0) continue; // defined here, not required from elsewhere
                    if (!symbolsByVersion.TryGetValue(versionOf[s], out var list))
                        symbolsByVersion[versionOf[s]] = list = new List<string>();
                    list.Add(CString(elf, symStr.Offset + U32(elf, sym, path), symStr, path));
                }
                foreach (Section rel in sections)
                {
                    if ((rel.Type != ShtRela && rel.Type != ShtRel) || rel.Link != (uint)dynsym) continue;
                    long entry = rel.Type == ShtRela ? 24 : 16;
                    for (long r = rel.Offset; r + entry <= rel.Offset + rel.Size; r += entry)
                    {
                        long symIndex = (long)(U64(elf, r + 8, path) >> 32);
                        if (symIndex > 0 && symIndex < count) relocatedVersions.Add(versionOf[symIndex]);
                    }
                }
            }

            var result = new List<ElfVersionNeed>();
            long vn = need.Offset;
            for (uint n = 0; n < need.Info && vn < need.Offset + need.Size; n++)
            {
                int cnt = U16(elf, vn + 2, path);
                string file = CString(elf, strtab.Offset + U32(elf, vn + 4, path), strtab, path);
                long aux = vn + U32(elf, vn + 8, path);
                for (int a = 0; a < cnt; a++)
                {
                    ushort flags = (ushort)U16(elf, aux + 4, path);
                    ushort index = (ushort)U16(elf, aux + 6, path);
                    string name = CString(elf, strtab.Offset + U32(elf, aux + 8, path), strtab, path);
                    symbolsByVersion.TryGetValue(index, out var symbols);
                    result.Add(new ElfVersionNeed(file, name, flags, index, aux + 4,
                        (IReadOnlyList<string>?)symbols ?? Array.Empty<string>(), relocatedVersions.Contains(index)));
                    uint next = U32(elf, aux + 12, path);
                    if (next == 0) break;
                    aux += next;
                }
                uint nextNeed = U32(elf, vn + 12, path);
                if (nextNeed == 0) break;
                vn += nextNeed;
            }
            return result;
        }

        /// <summary>
        /// Marks one version requirement weak (VER_FLG_WEAK), so the loader accepts a libstdc++ that lacks it.
        /// Refuses when a relocation uses a symbol of that version: then the symbol is really needed and the
        /// library would fail later instead of now. Returns false when the file was already weak (idempotent).
        /// </summary>
        public static bool MakeWeak(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            ElfVersionNeed? target = null;
            foreach (var need in Read(elf, path))
                if (need.Version == version) { target = need; break; }
            if (target is null)
                throw new InvalidOperationException($"{path}: does not require {version}.");
            if (target.IsRelocated)
                throw new InvalidOperationException($"{path}: {version} is used by relocated symbols ({string.Join(", ", target.Symbols)}); marking it weak would break the library at run time.");
            if (target.IsWeak) return false;

            ushort flags = (ushort)(target.Flags | VerFlagWeak);
            string temp = path + ".sgpatch";
            elf[target.FlagsOffset] = (byte)(flags & 0xff);
            elf[target.FlagsOffset + 1] = (byte)(flags >> 8);
            File.WriteAllBytes(temp, elf);
            // Replace the directory entry, not the bytes: a hard-linked copy never writes through to the NuGet cache.
            File.Replace(temp, path, null);
            return true;
        }

        /// <summary>True when the libstdc++ the dynamic loader would pick defines <paramref name="version"/>.</summary>
        public static bool LibraryDefinesVersion(string libraryPath, string version)
        {
            byte[] bytes = File.ReadAllBytes(libraryPath);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            for (int i = 0; i + needle.Length <= bytes.Length; i++)
            {
                if (bytes[i] != needle[0]) continue;
                int j = 1;
                while (j < needle.Length && bytes[i + j] == needle[j]) j++;
                if (j == needle.Length && (i == 0 || bytes[i - 1] == 0)) return true;
            }
            return false;
        }

        /// <summary>The system's libstdc++.so.6, searched where glibc distributions install it; null when none is found.</summary>
        public static string? FindSystemLibStdCxx()
        {
            string[] candidates =
            {
                "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            foreach (string c in candidates)
                if (File.Exists(c)) return c;
            return null;
        }

        private readonly struct Section
        {
            public Section(uint type, long offset, long size, uint link, uint info, long entsize)
            {
                Type = type; Offset = offset; Size = size; Link = link; Info = info; EntSize = entsize;
            }
            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public uint Link { get; }
            public uint Info { get; }
            public long EntSize { get; }
        }

        private static void Check(byte[] elf, long at, int width, string path)
        {
            if (at < 0 || at + width > elf.Length)
                throw new InvalidDataException($"{path}: truncated or corrupt ELF (offset {at} is past the end).");
        }

        private static int U16(byte[] b, long at, string path) { Check(b, at, 2, path); return b[at] | b[at + 1] << 8; }
        private static uint U32(byte[] b, long at, string path) { Check(b, at, 4, path); return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24); }
        private static ulong U64(byte[] b, long at, string path) => U32(b, at, path) | (ulong)U32(b, at + 4, path) << 32;

        private static string CString(byte[] b, long at, Section table, string path)
        {
            long end = at;
            long limit = Math.Min(b.Length, table.Offset + table.Size);
            while (end < limit && b[end] != 0) end++;
            if (at < table.Offset || end >= limit)
                throw new InvalidDataException($"{path}: string at offset {at} runs past its string table.");
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }
}
