// The process's own resource use, for the monitor's per-sweep figures and the soak benchmark: resident
// memory (VmRSS of /proc/self/status, Linux) and CPU time (user + system, every thread).
#pragma once
#include <cstdint>
#include <optional>

namespace tw {

// Resident set size in kB; nullopt where /proc/self/status has no VmRSS line (not Linux).
std::optional<std::int64_t> resident_kb();
// The largest resident set size so far in kB (VmHWM); nullopt where there is none.
std::optional<std::int64_t> resident_peak_kb();
// CPU seconds used by the process so far (getrusage RUSAGE_SELF, user + system).
double process_cpu_s();

// Gives the free memory of the heap back to the system (glibc malloc_trim; no-op outside glibc). For a
// long-running process (monitor) after each unit of work: glibc serves a block above its mmap threshold with
// its own mapping but raises the threshold to the size of each such block freed (up to 32 MB), so the
// multi-megabyte sample buffers of a 20 Msps sweep come from the heap and stay resident once freed (a
// `monitor --region eu` at 20 Msps: 97 MB after the first sweep, 120 MB from the third on). Trimmed after every
// sweep: 27-29 MB, no CPU cost measurable (holding the threshold at 128 KiB instead cost 15-25 % more CPU in the
// 20 Msps LTE tunings, every large buffer mapped and zeroed anew).
void trim_heap();

}  // namespace tw
