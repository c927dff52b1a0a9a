"""``python -m llama_cpp.server`` for a llama-cpp-python built with GGML_BACKEND_DL=ON.

Measurement aid for docs/LOCAL-MODEL.md#portable-build, not used by the package. With
``GGML_BACKEND_DL=ON GGML_CPU_ALL_VARIANTS=ON``, llama-cpp-python 0.3.36 installs the CPU
variants as ``<site-packages>/bin/libggml-cpu-<variant>.so`` and never calls
``ggml_backend_load_all()``, so the plain server fails with "no backends are loaded". This
wrapper loads them first, then runs the server:

    GGML_CPU_VARIANT=         best variant for this CPU, as llama.cpp scores it (CPUID)
    GGML_CPU_VARIANT=haswell  exactly that variant (haswell = the AVX2 baseline's features)

Used through the server hook, with the interpreter of a venv holding that build:

    SUMMARIZE_LLAMA_SERVER_CMD="/tmp/lldl/bin/python scripts/llama_server_dl.py" \\
        summarize doctor
"""

from __future__ import annotations

import ctypes
import os
import runpy
import sys
from pathlib import Path

import llama_cpp  # loads llama_cpp/lib/libllama.so and its libggml.so.0

PACKAGE = Path(llama_cpp.__file__).parent
VARIANTS = PACKAGE.parent / "bin"

# The copy libllama.so already loaded (wheels store the .so symlinks as separate copies, so
# the exact name matters: another copy would be a second, empty backend registry).
ggml = ctypes.CDLL(str(PACKAGE / "lib" / "libggml.so.0"))
ggml.ggml_backend_load.argtypes = [ctypes.c_char_p]
ggml.ggml_backend_load.restype = ctypes.c_void_p
ggml.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
ggml.ggml_backend_reg_count.restype = ctypes.c_size_t

variant = os.environ.get("GGML_CPU_VARIANT", "")
if variant:
    if not ggml.ggml_backend_load(str(VARIANTS / f"libggml-cpu-{variant}.so").encode()):
        sys.exit(f"cannot load CPU variant {variant} from {VARIANTS}")
else:
    ggml.ggml_backend_load_all_from_path(str(VARIANTS).encode())
print(f"llama_server_dl: {ggml.ggml_backend_reg_count()} backend(s) loaded", flush=True)
sys.argv[0] = "llama_cpp.server"
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
