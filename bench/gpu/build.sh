#!/usr/bin/env bash
# Builds the self-contained GPU bench bundle in <repo>/.gpu/ (git-ignored), on the dev machine:
#   bench.mjs      esbuild bundle of bench/gpu/entry.ts + src/lib + tfjs (core, cpu, wasm, webgpu)
#   run.sh         copy of bench/gpu/run.sh, the script to run on the GPU machine
#   wasm/          tfjs-backend-wasm binaries
#   dawn.node.xz   Dawn's Node addon from npm `webgpu` (installed in a scratch folder, never a dependency)
#   node.xz        this machine's node binary (the GPU machine has none)
#   lib/           Vulkan loader + the X11/GLdispatch libraries NVIDIA's ICD needs (Debian packages)
#   lib-fallback/  libstdc++/libgcc_s, used by run.sh only if the GPU machine's are too old
# Needs: npm install done in the repo (esbuild comes with tsx/vite), npm, apt-get download, dpkg, xz.
# Env: GPU_BENCH_SCRATCH (default ${TMPDIR:-/tmp}/shoplens-gpu-build) for the `webgpu` install.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT_DIR=$ROOT/.gpu
SCRATCH=${GPU_BENCH_SCRATCH:-${TMPDIR:-/tmp}/shoplens-gpu-build}
WEBGPU_VERSION=0.6.2
DAWN=$SCRATCH/node_modules/webgpu/dist/linux-x64/dawn.node
case "$SCRATCH/" in "$ROOT"/*) echo "GPU_BENCH_SCRATCH must be outside the repo" >&2; exit 1 ;; esac
mkdir -p "$OUT_DIR" "$SCRATCH"

# --- Dawn's Node addon, in its own folder so it never lands in package.json
if [ ! -f "$DAWN" ]; then
  (cd "$SCRATCH" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund --save-exact "webgpu@$WEBGPU_VERSION")
fi
if [ ! -f "$OUT_DIR/dawn.node.xz" ] || [ "$DAWN" -nt "$OUT_DIR/dawn.node.xz" ]; then
  xz -9 -T2 -c "$DAWN" >"$OUT_DIR/dawn.node.xz"
fi

# --- the bundle. Some bundled packages are CommonJS and use require/__dirname, which an ES module
# lacks: the banner defines them.
BANNER="import { createRequire as __gpuCreateRequire } from 'node:module'; import { fileURLToPath as __gpuFileURLToPath } from 'node:url'; import { dirname as __gpuDirname } from 'node:path'; const require = __gpuCreateRequire(import.meta.url); const __filename = __gpuFileURLToPath(import.meta.url); const __dirname = __gpuDirname(__filename);"
"$ROOT/node_modules/.bin/esbuild" "$HERE/entry.ts" --bundle --platform=node --format=esm --target=node20 \
  --main-fields=module,main --log-level=warning --legal-comments=none \
  --banner:js="$BANNER" --outfile="$OUT_DIR/bench.mjs"
cp "$HERE/run.sh" "$HERE/README.md" "$OUT_DIR/"
mkdir -p "$OUT_DIR/wasm"
cp "$ROOT"/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm{,-simd}.wasm "$OUT_DIR/wasm/"

# --- node and the shared libraries (kept once built: they do not change with our code)
if [ ! -f "$OUT_DIR/node.xz" ]; then xz -9 -T2 -c "$(command -v node)" >"$OUT_DIR/node.xz"; fi
if [ ! -f "$OUT_DIR/lib/libvulkan.so.1" ]; then
  debs=$(mktemp -d)
  (cd "$debs" && apt-get download libvulkan1 libglvnd0 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0 libx11-xcb1 2>&1 | grep -v unsandboxed || true
    for f in *.deb; do dpkg -x "$f" x; done)
  mkdir -p "$OUT_DIR/lib"
  cp -L "$debs"/x/usr/lib/x86_64-linux-gnu/lib{vulkan.so.1,GLdispatch.so.0,X11.so.6,X11-xcb.so.1,Xext.so.6,xcb.so.1,Xau.so.6,Xdmcp.so.6,bsd.so.0,md.so.0} "$OUT_DIR/lib/"
  rm -rf "$debs"
fi
mkdir -p "$OUT_DIR/lib-fallback"
cp -L /lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1 "$OUT_DIR/lib-fallback/"
xz -f -9 "$OUT_DIR/lib-fallback/libstdc++.so.6"
du -sh "$OUT_DIR"
