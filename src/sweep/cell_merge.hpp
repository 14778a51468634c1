// Merging the cell records of every tuning of a sweep into one record per real cell.
//
// Ghosts a sweep produces: (1) the same cell in two tunings (they overlap at the edges, and the pipeline
// decodes every channel of a capture, not only the tuning's own); (2) a cell received on an adjacent
// channel (a strong carrier leaks into its neighbours' channel filters, and a receiver frequency error of
// more than half a channel, e.g. 73 ppm at 1.8 GHz = 135 kHz, puts the carrier nearer the next raster
// point); (3) the image of a strong carrier mirrored about the tuning's centre (IQ imbalance of zero-IF
// receivers).
// Every record's apparent carrier A = freq_hz + cfo_hz is mapped back to its true raster carrier with the
// receiver error estimated from all records (calibration/ppm_estimator.hpp): F = A / (1 + e). Records are
// grouped by F; within a group the best record is kept (decoded identity, BSIC, more System Information
// types seen, then SNR, then power), records
// with a different decoded cell identity (CI) stay separate. Then a record is dropped as an adjacent ghost
// when a stronger cell with the same BSIC and no contradicting identity sits within 2 channels, and as a
// mirror ghost when its apparent frequency mirrored about its tuning's centre meets a cell >= 10 dB stronger
// and it has no identity of its own or the same one.
// Frame numbers (records' "sync_fn" at "sync_time_s", the stream time of that SCH): two records with the same
// BSIC whose FNs agree with the time between them (fn_relation) run on the same cell clock: one transmitter,
// so the weaker is dropped wherever it lies (fn_ghosts: aliases, images) even without decoded identities;
// the same BSIC with an inconsistent FN is another transmitter and is never merged or dropped as a ghost
// (a cell copied by a fake base station keeps ARFCN and BSIC but runs its own FN counter).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "calibration/ppm_estimator.hpp"
#include "src/sweep/lte_merge.hpp"

namespace tw::sweep {

struct MergeOptions {
  double min_snr_db = 6.0;             // records used for the receiver error estimate
  double mirror_margin_db = 10.0;
  std::optional<double> receiver_ppm;  // known receiver error (skip the estimate)
};

struct MergeResult {
  std::vector<nlohmann::json> cells;   // frequency order; fields of the best record, corrected to the true
                                       // carrier: arfcn, band, freq_hz; plus observed_freq_hz (the channel it
                                       // was decoded on), observations (records merged), cfo_residual_ppb
                                       // (offset left after removing the receiver error), tuning_hz
  std::optional<cal::PpmEstimate> receiver_error;  // from the records (nullopt: too few, or given)
  double receiver_ppm_used = 0.0;
  std::size_t records = 0;
  std::size_t duplicates = 0;          // merged into another record of the same carrier
  std::size_t adjacent_ghosts = 0;
  std::size_t mirror_ghosts = 0;
  std::size_t fn_ghosts = 0;           // same BSIC and cell clock elsewhere (not adjacent, not the mirror)
  // LTE records (rat "LTE") go through merge_lte_cells; their cells join `cells`. Their receiver error:
  // the given one, else the GSM records' estimate, else the LTE cells' consensus.
  std::size_t lte_records = 0;
  std::size_t lte_cells = 0;
  std::size_t lte_duplicates = 0;
  std::size_t lte_unconfirmed = 0;     // LteMergeResult::unconfirmed
  std::optional<LteReceiverEstimate> lte_receiver_error;  // the consensus, when it was used
  double lte_receiver_ppm_used = 0.0;
  std::string lte_receiver_error_source = "none";      // "given", "gsm", "lte" or "none"
};

// 45.002 clause 4.3.3: TDMA frame 120/26 ms; FN modulo the hyperframe 26 x 51 x 2048 = 2715648.
inline constexpr double kFrameS = 0.120 / 26.0;
inline constexpr std::int64_t kHyperframe = 26LL * 51LL * 2048LL;
enum class FnRelation { unknown, consistent, inconsistent };
// Whether two records' SCH frame numbers ("sync_fn" at "sync_time_s") come from one FN counter: the FN
// difference equals the frames elapsed between them within 1 frame + 100 ppm of the interval; unknown when
// either lacks them.
FnRelation fn_relation(const nlohmann::json& a, const nlohmann::json& b);

// Input records: the "cell" records of run_gsm_analysis with "tuning_hz" added (the tuning's centre), and
// run_sweep's LTE records (merged by merge_lte_cells). Records without freq_hz are passed through unmerged.
MergeResult merge_sweep_cells(const std::vector<nlohmann::json>& records, const MergeOptions& options = {});

// The receiver error estimate over one record per cell (records as merge_sweep_cells returns them, which
// carry observed_freq_hz): the calibration measurement.
std::optional<cal::PpmEstimate> estimate_from_cells(const std::vector<nlohmann::json>& cells, double min_snr_db,
                                                    const cal::PpmEstimatorOptions& options = {});

}  // namespace tw::sweep
