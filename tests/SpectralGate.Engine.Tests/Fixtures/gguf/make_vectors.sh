#!/bin/sh
# Regenerates the vectors from ggml's reference code: ./make_vectors.sh /path/to/ggml (a checkout of
# github.com/ggml-org/ggml; the committed vectors come from commit d99724f2b141fed9e1a9f402213506c081433465).
set -eu
GGML=${1:?usage: make_vectors.sh /path/to/ggml}
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(mktemp -d)
gcc -O1 -std=c11 -I"$GGML/include" -I"$GGML/src" -o "$BUILD/make_vectors" "$HERE/make_vectors.c" "$GGML/src/ggml-quants.c" -lm
cd "$HERE" && "$BUILD/make_vectors"
rm -rf "$BUILD"
