// The process's own resource use, for the monitor's per-sweep figures and the soak benchmark: resident
// memory (VmRSS of /proc/self/status, Linux) and CPU time (user + system, every thread).
#pragma once
#include <cstdint>
#include <optional>

namespace tw {

// Resident set size in kB; nullopt where /proc/self/status has no VmRSS line (not Linux).
std::optional<std::int64_t> resident_kb();
// CPU seconds used by the process so far (getrusage RUSAGE_SELF, user + system).
double process_cpu_s();

// For a long-running process (monitor). glibc serves a block above its mmap threshold with its own mapping,
// unmapped when freed, but raises the threshold to the size of each such block freed (up to 32 MB): from
// then on the multi-megabyte sample buffers of a 20 Msps sweep come from the heap and stay resident after
// they are freed (one `monitor --region eu --rat gsm` sweep at 20 Msps: 85 MB resident, 30 MB with the
// threshold held). Holds the threshold at 128 KiB (glibc's default). No-op outside glibc.
void keep_large_blocks_unmapped();
// Gives the free memory of the heap back to the system (glibc malloc_trim); no-op outside glibc.
void trim_heap();

}  // namespace tw
