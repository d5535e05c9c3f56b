# Sourced by the benchmark scripts: makes sure numpy with OpenBLAS is installed and sets `python` and `blas_env`,
# the command prefix that runs eng/openblas_gemm.py with OpenBLAS at its best.
#
# OpenBLAS comes from Debian (python3-numpy, python3-threadpoolctl, libopenblas0-pthread), installed
# here with apt-get when missing. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the numpy runs
# so OpenBLAS picks its own kernels; when its CPU detection falls back to a pre-AVX core on a machine
# with AVX-512 (OpenBLAS 0.3.21 does not know every newer Xeon), it is given SkylakeX, its AVX-512
# kernels, so the comparison is with OpenBLAS at its best. Set GEMM_BENCH_CORETYPE to choose another.
python=/usr/bin/python3

if ! "$python" -c 'import numpy, threadpoolctl' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread ]; then
    echo "installing numpy, threadpoolctl and OpenBLAS with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3-numpy python3-threadpoolctl libopenblas0-pthread >&2
fi

blas_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
detected=$("${blas_env[@]}" "$python" -c 'import numpy
from threadpoolctl import threadpool_info
print(next((p.get("architecture") or "?") for p in threadpool_info() if p.get("user_api") == "blas"))')
coretype="${GEMM_BENCH_CORETYPE:-}"
if [ -z "$coretype" ] && grep -qw avx512f /proc/cpuinfo && [[ "$detected" =~ ^(Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Katmai|Coppermine|Northwood|Banias|generic)$ ]]; then
    coretype=SkylakeX
fi
if [ -n "$coretype" ]; then
    blas_env+=(OPENBLAS_CORETYPE="$coretype")
fi
echo "OpenBLAS detected core: $detected; measured with: ${coretype:-$detected}" >&2
