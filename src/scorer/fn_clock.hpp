// The GSM frame-number clock of a cell as a phase against wall time (rule F2, the baseline's "fn_phase").
// TS 45.002 clause 4.3.3: FN counts TDMA frames of 120/26 ms = 60/13 ms modulo the hyperframe 26 x 51 x 2048
// = 2 715 648 frames. A base station's FN runs continuously, so FN - frames_elapsed(wall time) is a constant
// of the cell (its phase); a device that copies every broadcast parameter starts its own counter and cannot
// reproduce it without locking to the real cell.
#pragma once
#include <cstdint>
#include <optional>

#include "src/scorer/observation.hpp"

namespace tw::fn_clock {

inline constexpr std::int64_t kHyperframe = 26LL * 51LL * 2048LL;   // 2 715 648 frames
// Default agreement window of two phases: room for the clock of the sensor (NTP or not) and a record without
// its SCH time (then stamped with its run's time); 60 s = 13 000 frames, which a random counter start still
// misses with probability 1 - 2 x 13 000 / 2 715 648 = 99 %.
inline constexpr double kDefaultToleranceS = 60.0;

// Whole TDMA frames from the Unix epoch to t (floor of t x 13/60 ms).
std::int64_t frames_since_epoch(std::int64_t time_unix_ms);
// (fn - frames_since_epoch(t)) modulo the hyperframe, in [0, kHyperframe).
std::int64_t phase(std::int64_t fn, std::int64_t time_unix_ms);
// Circular distance of two phases in frames, in [0, kHyperframe/2].
std::int64_t distance(std::int64_t a, std::int64_t b);
// Frames in `seconds` of wall time (rounded).
std::int64_t frames_in(double seconds);

// The cell's FN phase from its record: "sync_fn" (FN of the SCH the receiver synchronised on) at the time of
// that SCH: "sync_unix_ms" (the sweep runner's wall clock of it) when the record has it, else the observation
// time plus "sync_time_s" (stream seconds of the SCH; exact between records of one run, offset by a constant
// for other runs), else the observation time. nullopt without a valid sync_fn (missing, not an integer, or
// outside 0..kHyperframe-1).
std::optional<std::int64_t> cell_phase(const CellObservation& cell);
// The phase only when the record carries the SCH's wall clock ("sync_unix_ms"): comparable across runs (the
// baseline). A file analysed later has none: its phase means nothing against the baseline.
std::optional<std::int64_t> wall_clock_phase(const CellObservation& cell);

}  // namespace tw::fn_clock
