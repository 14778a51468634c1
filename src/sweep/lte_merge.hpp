// Merging the LTE cell records of a sweep into one record per cell.
//
// An LTE tuning searches several offsets whose windows overlap, and neighbouring tunings overlap too, so one
// cell is found several times, possibly rounded to adjacent raster points (a receiver error of more than
// 50 kHz, 28 ppm at 1.8 GHz, puts the carrier nearer the next 100 kHz raster point). Every record's apparent
// carrier A ("apparent_carrier_hz": tuning centre + offset + measured carrier offset) is what counts: records
// with the same PCI whose A lie within 50 kHz (half the raster: one carrier) are one cell, unless their
// frame timing says otherwise (lte_sfn_relation: the same PCI on another SFN clock is a second transmitter,
// e.g. a copy of the cell). The best record describes the cell (MIB decoded, then SINR, then RSRP); its System
// Information is that of the member that decoded the most SIBs (a tuning holding the cell's whole bandwidth). Its true
// carrier F is A / (1 + e) rounded to the 100 kHz raster (TS 36.101 5.7.2), e the receiver error (given, from
// the GSM cells of the same sweep, or the LTE cells' consensus: estimate_lte_receiver_ppm); EARFCN and band
// from F (TS 36.101 table 5.7.3-1; the band swept when F lies in several). Cells with different PCIs on one
// EARFCN all stay. A cell found by one search only whose carrier lies more than kMaxCellOffsetPpm off its
// raster point after the receiver error is dropped as unconfirmed: eNodeBs hold their carrier to 0.05 ppm
// (TS 36.104 6.5.1), and the windows of neighbouring offsets overlap, so a real cell is normally found by
// two or three searches; a MIB that passes its CRC-16 by chance (36.212 5.3.1: 3 port masks x every SSS
// candidate of hundreds of searches) sits at a random offset.
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace tw::sweep {

// 36.211 4.1: radio frame 10 ms; SFN modulo 1024 (36.331 MIB).
inline constexpr double kLteFrameS = 0.010;
enum class SfnRelation { unknown, consistent, inconsistent };
// Whether two LTE records' frames ("sfn" at "sfn_time_s") come from one SFN counter: the time between them
// is a whole number of frames (within 0.05 frame + 100 ppm of the interval) and the SFN difference equals it
// modulo 1024; unknown when either lacks them.
SfnRelation lte_sfn_relation(const nlohmann::json& a, const nlohmann::json& b);

struct LteReceiverEstimate {
  double receiver_ppm = 0.0;   // carriers appear at F * (1 + e*1e-6)
  std::size_t cells = 0;       // distinct cells (PCI + carrier) that agree
  std::size_t candidates = 0;  // distinct cells with a decoded MIB considered
  double spread_ppm = 0.0;     // standard deviation of the agreeing cells' values (0 for one cell)
};

// The receiver error most LTE cells agree on: each distinct cell with a decoded MIB proposes e = A/F - 1 for
// every raster point F within +-max_abs_ppm of A; the value most cells share (within 1 ppm; ties: the
// smaller |e|) is refined as the mean of the agreeing proposals. Within one band several values may fit
// equally (the raster repeats every 100 kHz: 55 ppm at 1.8 GHz, 125 ppm at 800 MHz); cells in bands far
// apart resolve it. nullopt without a usable record.
std::optional<LteReceiverEstimate> estimate_lte_receiver_ppm(const std::vector<nlohmann::json>& records,
                                                             double max_abs_ppm = 100.0);

inline constexpr double kMaxCellOffsetPpm = 5.0;

struct LteMergeResult {
  std::vector<nlohmann::json> cells;  // frequency then PCI order; the best record's fields with freq_hz,
                                      // earfcn, band on the true carrier, observed_freq_hz (A, Hz),
                                      // cfo_hz (A - freq_hz: from the true carrier),
                                      // cfo_residual_ppb (offset left after the receiver error),
                                      // observations (records merged)
  std::size_t records = 0;
  std::size_t duplicates = 0;         // merged into another record of the same cell
  std::size_t unconfirmed = 0;        // single records far off the raster (dropped)
  double receiver_ppm_used = 0.0;
};

// Records: run_sweep's LTE records (rat "LTE"). Records without an apparent carrier are passed through.
LteMergeResult merge_lte_cells(const std::vector<nlohmann::json>& records, double receiver_ppm);

}  // namespace tw::sweep
