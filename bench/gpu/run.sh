#!/usr/bin/env bash
# ShopLens GPU bench: our tfjs ML code on tfjs-backend-webgpu (Dawn/Vulkan) vs tfjs-backend-wasm.
# Source: bench/gpu/run.sh; bench/gpu/build.sh copies it into the bundle folder .gpu/, and it runs
# from there (on a machine without node: needs bash, coreutils, python3 and a Vulkan driver):
#   bash .gpu/run.sh
# Env: GPU_BENCH_SCALE=full (default) | small (for software Vulkan); GPU_BENCH_BUDGET=270 seconds for
# the whole run; OUT=dir for gpu-bench.json + gpu-bench.log; VK_ICD_FILENAMES to force an ICD;
# GPU_BENCH_ONLY=regex of workload tags to run (e.g. 'kmeans'); GPU_BENCH_RT=scratch folder;
# GPU_BENCH_DAWN_FLAGS=space-separated flags for Dawn's instance (e.g. "enable-dawn-features=…").
set -u
G=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ ! -f "$G/bench.mjs" ]; then
  echo "no bench.mjs beside $0: build with 'bash bench/gpu/build.sh', then run 'bash .gpu/run.sh'" >&2
  exit 1
fi
T0=$(date +%s)
SCALE=${GPU_BENCH_SCALE:-full}
BUDGET=${GPU_BENCH_BUDGET:-270}
RT=${GPU_BENCH_RT:-/tmp/shoplens-gpu-bench}
RES=$RT/results
rm -rf "$RES"
mkdir -p "$RES" || exit 1
if [ -n "${OUT:-}" ]; then mkdir -p "$OUT" && LOG=$OUT/gpu-bench.log; else LOG=$RT/gpu-bench.log; fi
: >"$LOG"
el() { echo $(($(date +%s) - T0)); }
say() { echo "$*" | tee -a "$LOG"; }
# Workers' output: everything to the log; to stdout progress lines, failed RESULT lines (cut) and at most 12 other lines.
filt() {
  tee -a "$LOG" | awk '/^  \[|DEVICE LOST/ { print substr($0, 1, 200); fflush(); next }
    /^RESULT/ { if ($0 ~ /"ok":false/) { print substr($0, 1, 400); fflush() }; next }
    { n++; if (n <= 12) { print substr($0, 1, 240); fflush() } else if (n == 13) { print "    … (more output in gpu-bench.log)"; fflush() } }'
}

say "=== ShopLens GPU bench, scale=$SCALE, budget ${BUDGET}s, bundle $G, $(date -u +%FT%TZ)"
{
  echo "--- diagnostics"
  echo "host: $(uname -srm); $(grep -h PRETTY_NAME /etc/os-release 2>/dev/null); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2)"
  echo "ls /usr/local/nvidia/share/vulkan/icd.d/:"; ls -la /usr/local/nvidia/share/vulkan/icd.d/ 2>&1
  for j in /usr/local/nvidia/share/vulkan/icd.d/*.json; do [ -f "$j" ] && echo "$j: $(tr -d '\n ' <"$j" | cut -c1-300)"; done
  echo "nvidia-smi -L:"; nvidia-smi -L 2>&1 | head -4
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv,noheader 2>&1 | head -2
  echo "other ICDs: $(ls /etc/vulkan/icd.d /usr/share/vulkan/icd.d 2>/dev/null | tr '\n' ' ')"
  echo "ldconfig: $(ldconfig -p 2>/dev/null | grep -oE 'lib(vulkan|GLX_nvidia|EGL_nvidia|nvidia-glcore|GLdispatch|X11|Xext)\.so[.0-9]*' | sort -u | tr '\n' ' ')"
} 2>&1 | tee -a "$LOG" | cut -c1-300

# --- unpack node and dawn.node
mkdir -p "$RT/bin"
rm -f "$RT/bin/node" "$RT/bin/dawn.node"
python3 - "$G" "$RT/bin" <<'EOF' 2>&1 | tee -a "$LOG"
import lzma, os, shutil, sys, time
g, dst = sys.argv[1:]
t = time.time()
for src, name in [('node.xz', 'node'), ('dawn.node.xz', 'dawn.node')]:
    out = os.path.join(dst, name)
    with lzma.open(os.path.join(g, src)) as f, open(out + '.tmp', 'wb') as o:
        shutil.copyfileobj(f, o, 1 << 22)
    os.replace(out + '.tmp', out)
    os.chmod(out, 0o755)
print('unpacked node and dawn.node in %.1f s' % (time.time() - t))
EOF
if [ "${PIPESTATUS[0]}" != 0 ] || ! [ -s "$RT/bin/node" ] || ! [ -s "$RT/bin/dawn.node" ]; then
  say "python3 lzma unpack failed; trying xz"
  xz -dc "$G/node.xz" >"$RT/bin/node" && xz -dc "$G/dawn.node.xz" >"$RT/bin/dawn.node" && chmod +x "$RT/bin/node" || { say "FATAL: cannot unpack node"; exit 1; }
fi
NODE=$RT/bin/node
export GPU_BENCH_DAWN=$RT/bin/dawn.node GPU_BENCH_WASM_DIR=$G/wasm GPU_BENCH_RESULTS=$RES
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu/nvidia/current; do
  [ -d "$d" ] && LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d
done
export LD_LIBRARY_PATH="$G/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if ! "$NODE" -e 'process.exit(0)' >/dev/null 2>&1; then
  say "node does not start with the system C++ runtime; using the bundled one"
  mkdir -p "$RT/libfb" && cp "$G/lib-fallback/libgcc_s.so.1" "$RT/libfb/" &&
    python3 -c "import lzma,shutil,sys;shutil.copyfileobj(lzma.open(sys.argv[1]),open(sys.argv[2],'wb'))" "$G/lib-fallback/libstdc++.so.6.xz" "$RT/libfb/libstdc++.so.6"
  export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$RT/libfb"
  "$NODE" -e 'process.exit(0)' 2>&1 | head -5 | tee -a "$LOG"
fi
say "node $("$NODE" --version 2>&1) at $NODE; [$(el)s]"

# --- pick a Vulkan ICD that gives a WebGPU adapter
NVJSON=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
mkdir -p "$RT/icd"
find_lib() { # absolute path of a driver library, if it can be found
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
    [ -e "$d/$1" ] && { echo "$d/$1"; return; }
  done
  ldconfig -p 2>/dev/null | awk -v l="$1" '$1 == l { print $NF; exit }'
}
CANDS=()
[ -n "${VK_ICD_FILENAMES:-}" ] && CANDS+=("$VK_ICD_FILENAMES")
for j in "$NVJSON" /usr/local/nvidia/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json; do
  [ -f "$j" ] && [[ ! " ${CANDS[*]-} " == *" $j "* ]] && CANDS+=("$j")
done
for l in libEGL_nvidia.so.0 libGLX_nvidia.so.0; do
  p=$(find_lib $l)
  if [ -n "$p" ]; then
    echo "{\"file_format_version\":\"1.0.0\",\"ICD\":{\"library_path\":\"$p\",\"api_version\":\"1.3.0\"}}" >"$RT/icd/$l.json"
    CANDS+=("$RT/icd/$l.json")
    say "driver lib $p; missing deps: $(ldd "$p" 2>&1 | grep -i 'not found' | tr -s ' \t' ' ' | tr '\n' ';' | cut -c1-300)"
  fi
done
CANDS+=("")  # last resort: the loader's default search
PROBE_OK=0
first=1
for c in "${CANDS[@]}"; do
  if [ -n "$c" ]; then export VK_ICD_FILENAMES=$c VK_DRIVER_FILES=$c; else unset VK_ICD_FILENAMES VK_DRIVER_FILES; fi
  say "=== [$(el)s] probe with VK_ICD_FILENAMES=${c:-<default search>}"
  GPU_BENCH_TAG=probe timeout -k 5 60 "$NODE" "$G/bench.mjs" probe 2>&1 | filt
  if grep -q '"ok":true' "$RES/probe.json" 2>/dev/null; then PROBE_OK=1; break; fi
  if [ $first = 1 ]; then
    first=0
    say "--- Vulkan loader messages for this ICD (VK_LOADER_DEBUG=error,warn,driver):"
    VK_LOADER_DEBUG=error,warn,driver GPU_BENCH_TAG=probe-debug timeout -k 5 60 "$NODE" "$G/bench.mjs" probe 2>&1 | tee -a "$LOG" | grep -vE '^RESULT|^DRIVER: +(/|In following)' | head -25 | cut -c1-240
    rm -f "$RES/probe-debug.json"
  fi
  (($(el) > 90)) && break
done
if [ $PROBE_OK = 1 ]; then
  python3 - "$RES/probe.json" <<'EOF' 2>&1 | tee -a "$LOG"
import json, sys
p = json.load(open(sys.argv[1]))
print('ADAPTER:', json.dumps(p.get('adapter')), '| tf.getBackend() =', p.get('tfBackend'), '| matmul check', p.get('matmulCheck'))
print('limits:', json.dumps(p.get('limits')))
if not p.get('looksLikeNvidia'): print('WARNING: the adapter does not look like the NVIDIA GPU')
EOF
else
  say "WARNING: no WebGPU adapter found; webgpu runs will fail (wasm still runs)"
fi

# --- workloads
run() { # tag timeout_s args…
  local tag=$1 to=$2
  shift 2
  if [ -n "${GPU_BENCH_ONLY:-}" ] && ! [[ $tag =~ $GPU_BENCH_ONLY ]]; then return; fi
  echo "$tag" >>"$RES/order.txt"
  local left=$((BUDGET - $(el)))
  if ((left < 10)); then
    say "=== [$(el)s] SKIP $tag: time budget spent"
    echo '{"ok":false,"skipped":true,"error":"skipped: time budget spent"}' >"$RES/$tag.json"
    return
  fi
  ((to > left - 5)) && to=$((left - 5))
  say "=== [$(el)s] $tag (timeout ${to}s)"
  GPU_BENCH_TAG=$tag timeout -k 5 "$to" "$NODE" --max-old-space-size=16384 "$G/bench.mjs" "$@" 2>&1 | filt
  local rc=${PIPESTATUS[0]}
  if [ "$rc" != 0 ]; then
    say "    $tag exited with status $rc$( ( [ "$rc" = 124 ] || [ "$rc" = 137 ] ) && echo ' (timeout)')"
    python3 - "$RES/$tag.json" "$rc" <<'EOF'
import json, os, sys
f, rc = sys.argv[1], int(sys.argv[2])
r = json.load(open(f)) if os.path.exists(f) else {'ok': False, 'error': 'no result (crashed before writing one)'}
if not r.get('ok'):
    r['exitStatus'] = rc
    r['timedOut'] = rc in (124, 137)
    if rc in (124, 137) and not r.get('partial'): r['error'] = 'killed by its timeout'
json.dump(r, open(f, 'w'))
EOF
  fi
}
both() { # name timeout_wasm timeout_webgpu mode args… (wasm first, then webgpu)
  local name=$1 tw=$2 tg=$3 mode=$4
  shift 4
  run "$name-wasm" "$tw" "$mode" wasm "$@"
  if [ $PROBE_OK = 1 ]; then run "$name-webgpu" "$tg" "$mode" webgpu "$@"
  elif [ -z "${GPU_BENCH_ONLY:-}" ] || [[ $name-webgpu =~ $GPU_BENCH_ONLY ]]; then
    echo "$name-webgpu" >>"$RES/order.txt"
    echo '{"ok":false,"error":"no WebGPU adapter (probe failed)"}' >"$RES/$name-webgpu.json"
  fi
}
if [ "$SCALE" = small ]; then
  both kmeans-20k 60 120 kmeans 20000 6 8 20
  both kmeans-50k 60 120 kmeans 50000 6 8 20
  both logreg-20kx32 60 120 logreg 20000 32
  both mf-500x850-20k 60 180 reco mf 500 850 20000 15 10
  both mf-1000x1700-50k 60 180 reco mf 1000 1700 50000 3 10
  both als-500x850-20k 60 120 reco als 500 850 20000 15 64
else
  both kmeans-100k 40 60 kmeans 100000 6 8 20
  both kmeans-1M 60 80 kmeans 1000000 6 8 20
  both logreg-1Mx32 60 80 logreg 1000000 32
  both mf-1000x1700-100k 40 70 reco mf 1000 1700 100000 15 10
  both mf-10000x17000-1M 90 100 reco mf 10000 17000 1000000 15 10
  both als-1000x1700-100k 40 60 reco als 1000 1700 100000 15 64
fi

say "=== [$(el)s] summary"
{ { echo "scale=$SCALE budget=$BUDGET"; echo "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"; } >"$RES/meta.txt"; } 2>/dev/null
timeout -k 5 60 "$NODE" "$G/bench.mjs" summary "$RES" 2>&1 | tee -a "$LOG"
say "total $(el)s; full log: $LOG"
