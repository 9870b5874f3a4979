#pragma once
// Optimised kernels for SUNDIALS' serial N_Vector. Debian 12's libsundials (6.4.1) is built
// without optimisation (its loops keep every index on the stack: `objdump -d
// libsundials_ida.so.6.4.1` shows -O0 code), and IDA spends most of a step in those loops: on a
// 1000-node RC ladder they took 55 % of the run (perf). N_Vector is SUNDIALS' extension point
// for this: its operations are a table of function pointers, copied to every clone, so setting
// ours on the vectors handed to IDAInit makes IDA use them throughout. Same data layout and
// semantics as NVECTOR_SERIAL (SUNDIALS' documentation of each operation), compiled with ours.
#include <sundials/sundials_nvector.h>

namespace memspice::engine {

// Replaces the arithmetic, reduction and fused operations of a serial vector (N_VNew_Serial)
// with memspice's; construction, cloning and data access stay SUNDIALS'. Clones made afterwards
// inherit them.
void useFastVectorOps(N_Vector v);

}  // namespace memspice::engine
