// When System Information is sent (TS 36.331 5.2.1.2, 5.2.3) and with which redundancy version (TS 36.321
// 5.3.1): SIB1 in subframe 5 of every frame with SFN mod 2 = 0 (80 ms period, RV_K = ceil(3k/2) mod 4 with
// k = (SFN/2) mod 4); SI message n (1-based order of schedulingInfoList) in its SI window: x = (n - 1) w,
// starting in subframe x mod 10 of the frame with SFN mod T = floor(x / 10), for w subframes, without
// subframe 5 of even frames, MBSFN subframes and TDD uplink subframes; RV of the window's i-th subframe
// with k = i mod 4.
#pragma once
#include <optional>
#include <vector>

namespace tw::dsp::lte {

// What SIB1 tells (the caller fills it; dsp/ does not depend on the RRC decoder).
struct SiSchedule {
  std::vector<int> periodicity_rf;  // si-Periodicity of SI message n = 1.. (radio frames: 8 16 32 64 128 256 512)
  int window_ms = 0;                // si-WindowLength: 1 2 5 10 15 20 40
  bool tdd = false;
  int tdd_config = -1;              // subframeAssignment 0..6 (TDD)
  int mbsfn_subframe_mask = 0;      // bit s: subframe s is an MBSFN subframe in every frame (SIB2), 0: none
};

bool is_sib1_subframe(int sfn, int subframe);     // subframe 5 of SFN mod 2 = 0
int sib1_rv(int sfn);                             // 36.321 5.3.1: RV of the SIB1 sent in frame sfn (even)
int rv_of_k(int k);                               // ceil(3k / 2) mod 4: 0 2 3 1

struct SiOpportunity {
  int n = 0;   // SI message, 1-based
  int i = 0;   // subframe within the SI window, 0 .. w - 1
  int rv = 0;  // redundancy version (k = i mod 4)
};

// Checks the schedule: periodicities and window among the enumerations, 1..32 messages, the windows of all
// messages within the shortest period. Throws tw::InputError naming the field.
void check_si_schedule(const SiSchedule& s);
// The SI message whose window holds (sfn, subframe) when that subframe may carry it, else nullopt (also for
// SIB1's subframe, MBSFN and TDD uplink subframes). Throws tw::InputError for a bad schedule, sfn outside
// 0..1023 or subframe outside 0..9.
std::optional<SiOpportunity> si_message_at(const SiSchedule& s, int sfn, int subframe);
// The first subframe of message n's window at or after frame sfn: {sfn, subframe}.
struct SiWindowStart { int sfn = 0; int subframe = 0; };
SiWindowStart si_window_start(const SiSchedule& s, int n, int from_sfn);

}  // namespace tw::dsp::lte
