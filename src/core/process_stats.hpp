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

}  // namespace tw
