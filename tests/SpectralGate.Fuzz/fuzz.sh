#!/usr/bin/env bash
# Coverage-guided fuzzing of one reader with SharpFuzz + AFL++ (Debian package afl++).
#   tests/SpectralGate.Fuzz/fuzz.sh <safetensors|index|onnx|torchsharp|baseline|gguf|pytorch|mlnet> [seconds=600]
# Findings land in artifacts/fuzz/<target>/findings; every crash found becomes a case of the committed hostile corpus.
set -euo pipefail
target=${1:?target: safetensors, index, onnx, torchsharp or baseline}
seconds=${2:-600}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/artifacts/fuzz/$target"
bin="$root/artifacts/fuzz/bin"        # instrumented: runs only under afl-fuzz
plain="$root/artifacts/fuzz/plain"    # not instrumented: writes the seeds and replays findings
tools="$root/artifacts/fuzz/tools"

command -v afl-fuzz >/dev/null || apt-get install -y -qq afl++ >/dev/null
[ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null

if [ ! -f "$bin/SpectralGate.Fuzz.dll" ] || [ "${REBUILD:-0}" = 1 ]; then
  rm -rf "$bin" "$plain"
  dotnet publish "$root/tests/SpectralGate.Fuzz" -c Release -o "$plain" -v q -nologo
  cp -r "$plain" "$bin"
  # Instrument our own assembly only: the readers and the engine are what is under test.
  "$tools/sharpfuzz" "$bin/SpectralAssert.dll"
fi

mkdir -p "$work"
rm -rf "$work/seeds"
dotnet "$plain/SpectralGate.Fuzz.dll" seeds "$work/all-seeds"
mkdir -p "$work/seeds"
cp "$work/all-seeds/$target"/* "$work/seeds/"
hostile="$root/tests/SpectralGate.Engine.Tests/Fixtures/hostile"
case "$target" in
  baseline) [ -d "$hostile/baselines" ] && cp "$hostile/baselines"/* "$work/seeds/" ;;
  *) [ -d "$hostile/$target" ] && cp "$hostile/$target"/* "$work/seeds/" ;;
esac

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_AUTORESUME=1
export DOTNET_TieredPGO=0
afl-fuzz -i "$work/seeds" -o "$work/findings" -t 5000 -m none -V "$seconds" -- dotnet "$bin/SpectralGate.Fuzz.dll" "$target" \
  > "$work/afl.log" 2>&1 || { tail -40 "$work/afl.log"; exit 1; }

stats="$work/findings/default/fuzzer_stats"
grep -E "^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time|bitmap_cvg)" "$stats"
crashes=("$work/findings/default/crashes"/id:*)
if [ -e "${crashes[0]}" ]; then
  echo "crashes found; replaying:"
  dotnet "$plain/SpectralGate.Fuzz.dll" replay "$target" "$work/findings/default/crashes"
fi
