// TS 36.331 5.2.1.2 / 5.2.3, TS 36.321 5.3.1.
#include "dsp/lte/si_schedule.hpp"

#include <algorithm>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {
namespace {

// 36.211 table 4.2-2: uplink subframes of each configuration.
constexpr const char* kTddConfigs[7] = {"DSUUUDSUUU", "DSUUDDSUUD", "DSUDDDSUDD", "DSUUUDDDDD",
                                        "DSUUDDDDDD", "DSUDDDDDDD", "DSUUUDSUUD"};

void check_time(int sfn, int subframe) {
  if (sfn < 0 || sfn > 1023) throw InputError("sfn " + std::to_string(sfn) + " outside 0..1023");
  if (subframe < 0 || subframe > 9) throw InputError("subframe " + std::to_string(subframe) + " outside 0..9");
}

}  // namespace

bool is_sib1_subframe(int sfn, int subframe) { return subframe == 5 && sfn % 2 == 0; }

int rv_of_k(int k) { return ((3 * k + 1) / 2) % 4; }

int sib1_rv(int sfn) {
  check_time(sfn, 5);
  return rv_of_k((sfn / 2) % 4);
}

void check_si_schedule(const SiSchedule& s) {
  static constexpr int kWindows[] = {1, 2, 5, 10, 15, 20, 40};
  static constexpr int kPeriods[] = {8, 16, 32, 64, 128, 256, 512};
  if (std::find(std::begin(kWindows), std::end(kWindows), s.window_ms) == std::end(kWindows))
    throw InputError("si-WindowLength " + std::to_string(s.window_ms) + " ms not among 1 2 5 10 15 20 40");
  if (s.periodicity_rf.empty() || s.periodicity_rf.size() > 32)
    throw InputError("schedulingInfoList: " + std::to_string(s.periodicity_rf.size()) + " SI messages, 1..32 allowed");
  for (int t : s.periodicity_rf)
    if (std::find(std::begin(kPeriods), std::end(kPeriods), t) == std::end(kPeriods))
      throw InputError("si-Periodicity " + std::to_string(t) + " rf not among 8 16 32 64 128 256 512");
  const int t_min = *std::min_element(s.periodicity_rf.begin(), s.periodicity_rf.end());
  if (static_cast<int>(s.periodicity_rf.size()) * s.window_ms > 10 * t_min)
    throw InputError("si-WindowLength: " + std::to_string(s.periodicity_rf.size()) + " windows of " +
                     std::to_string(s.window_ms) + " ms exceed the shortest si-Periodicity");
  if (s.tdd && (s.tdd_config < 0 || s.tdd_config > 6))
    throw InputError("tdd_config " + std::to_string(s.tdd_config) + " unknown or outside 0..6");
  if (s.mbsfn_subframe_mask < 0 || s.mbsfn_subframe_mask > 0x3FF)
    throw InputError("mbsfn_subframe_mask outside 10 bits");
}

std::optional<SiOpportunity> si_message_at(const SiSchedule& s, int sfn, int subframe) {
  check_si_schedule(s);
  check_time(sfn, subframe);
  if (is_sib1_subframe(sfn, subframe)) return std::nullopt;
  if ((s.mbsfn_subframe_mask >> subframe) & 1) return std::nullopt;
  if (s.tdd && kTddConfigs[s.tdd_config][subframe] == 'U') return std::nullopt;
  for (int n = 1; n <= static_cast<int>(s.periodicity_rf.size()); ++n) {
    const int t = s.periodicity_rf[static_cast<std::size_t>(n - 1)];
    const int x = (n - 1) * s.window_ms;
    // The window starts x subframes after the start of the frame with SFN mod T = 0 (floor(x/10) frames
    // plus subframe x mod 10); 1024 is a multiple of every T, so SFN wrap-around keeps the pattern.
    const int pos = (sfn % t) * 10 + subframe;
    const int i = pos - x;
    if (i >= 0 && i < s.window_ms) return SiOpportunity{n, i, rv_of_k(i % 4)};
  }
  return std::nullopt;
}

SiWindowStart si_window_start(const SiSchedule& s, int n, int from_sfn) {
  check_si_schedule(s);
  check_time(from_sfn, 0);
  if (n < 1 || n > static_cast<int>(s.periodicity_rf.size()))
    throw InputError("SI message " + std::to_string(n) + " outside 1.." + std::to_string(s.periodicity_rf.size()));
  const int t = s.periodicity_rf[static_cast<std::size_t>(n - 1)];
  const int x = (n - 1) * s.window_ms;
  int sfn = from_sfn;
  while ((sfn % t) != (x / 10) % t) sfn = (sfn + 1) % 1024;
  return {sfn, x % 10};
}

}  // namespace tw::dsp::lte
