// Runs a sweep plan over a retunable IqSource (SoapySource). LTE tunings: retune, discard the settling
// samples, read lte_dwell_s and search every offset of the tuning with its window (search_lte_block); the
// records ({"rat":"LTE",...}) get "tuning_hz", "sweep_band" (the band swept) and, when the MIB was decoded,
// "sfn_time_s" (stream time of the start of the frame whose SFN is "sfn") and "sfn_unix_ms".
// GSM tunings: retune, discard the settling
// samples, measure the power of every channel (census), and unless the mode is census or nothing in the
// tuning stands above the noise floor, run the GSM analysis (src/pipeline/gsm_analysis.hpp) for the dwell.
// Adaptive dwell (full mode): the analysis of a tuning ends as soon as every channel of the tuning that
// stood above the floor is settled: synchronised with all 8 BCCH TC values decoded (a whole System
// Information cycle, GsmCarrierProgress::bcch_tc_seen), or given up (no SCH after sync_give_up_s: a
// traffic carrier, an LTE or other signal, too weak); the dwell is the bound.
// Stops cleanly between blocks when *stop becomes true (SIGINT), keeping everything found so far.
// Records get "tuning_hz", and "sync_time_s" becomes sweep stream time (s from the start of the device
// stream, lost samples counted) with "sync_unix_ms" (wall clock of that SCH) for FN consistency checks.
#pragma once
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/iq_source.hpp"
#include "hw/position_source.hpp"
#include "src/sweep/lte_census.hpp"
#include "src/sweep/sweep_plan.hpp"

namespace tw::sweep {

struct SweepRunOptions {
  ScanMode mode = ScanMode::full;
  double census_s = 0.05;            // samples for the power census of a tuning (census mode: the dwell)
  double census_margin_db = 6.0;     // a channel must stand this far above the noise floor to be analysed
                                     // (as the pipeline's census; SCH decoding needs about that SNR)
  bool analyse_every_tuning = false; // skip the census test: run the analysis on every tuning
  const std::atomic<bool>* stop = nullptr;
  bool adaptive_dwell = true;        // full mode: end a tuning once its carriers are settled (above)
  double sync_give_up_s = 0.6;       // a carrier without SCH by then is given up (FCCH+SCH recur every 46 ms,
                                     // 45.002 clause 7 table 3: a dozen chances)
  unsigned threads = 0;              // channel receivers' threads (0: one per core)
  // A device that fails mid-sweep (tw::RuntimeFailure: vanished, stream error): true ends the sweep with what
  // the tunings before the failure heard and the error in SweepResult::device_error (scan); false throws
  // (monitor abandons the sweep and reopens the device).
  bool keep_partial_on_device_loss = false;
  // Where the sensor is: every record gets the position valid at its tuning's time (src/sweep/position_stamp.hpp).
  // nullptr: records carry no position fields.
  const PositionSource* position = nullptr;
  // LTE tunings: one PSS search per group of EARFCNs sharing the correlations (LteAnalysisOptions::
  // shared_search); false: every EARFCN searched alone (the benchmark's baseline).
  bool lte_shared_search = true;
};

struct SweepProgress {
  std::size_t tuning = 0;            // 1-based
  std::size_t tunings = 0;
  std::string band;
  double center_hz = 0.0;
  std::size_t records = 0;           // cell records so far (before merging)
  double elapsed_s = 0.0;
  double estimated_total_s = 0.0;
  std::optional<Fix> fix;            // with a position source: the fix at the start of this tuning
};

struct ChannelPower {
  int arfcn = 0;
  std::string band;
  double freq_hz = 0.0;
  double power_dbfs = -200.0;        // mean power in the channel's 200 kHz
  double noise_floor_dbfs = -200.0;  // of its tuning
};

struct SweepResult {
  std::vector<nlohmann::json> records;   // raw "cell" records, "tuning_hz" added
  std::vector<ChannelPower> census;      // every assigned channel of every tuning done
  std::vector<LteTuningFloor> lte_floors; // the noise floor of every LTE tuning done (lte_census.hpp)
  std::size_t tunings_done = 0;
  std::size_t tunings_analysed = 0;
  std::size_t tunings_ended_early = 0;   // adaptive dwell: analysis ended before the dwell
  std::size_t lte_tunings_done = 0;      // LTE tunings searched (counted in tunings_done and _analysed too)
  bool interrupted = false;
  std::string device_error;              // the device failed mid-sweep (keep_partial_on_device_loss); else empty
  double elapsed_s = 0.0;                // wall time
  double stream_s = 0.0;                 // sample time read
  std::uint64_t gaps = 0;
};

SweepResult run_sweep(IqSource& source, const SweepPlan& plan, const SweepRunOptions& options,
                      const std::function<void(const SweepProgress&)>& progress);

// Mean power (dBFS) in [offset - half_width, offset + half_width] of a block of samples, for each offset
// (Hann-windowed averaged periodogram, 1024 points). Exposed for tests.
std::vector<double> channel_powers_dbfs(std::span<const cf32> samples, double sample_rate_hz,
                                        const std::vector<double>& offsets_hz, double half_width_hz);

}  // namespace tw::sweep
