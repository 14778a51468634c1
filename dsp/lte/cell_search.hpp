// LTE cell search on the central 6 PRB at 1.92 Msps (an RTL-SDR's bandwidth): every eNodeB on one EARFCN,
// with its PCI, duplex mode, cyclic prefix, antenna ports, MIB (bandwidth, PHICH, SFN) and measurements.
//
// Signal path (TS 36.211 / 36.212 / 36.331):
//   1. PSS search (6.11.1, pss_search.hpp): FFT (overlap-save) correlation with the three N_ID(2) replicas over coarse CFO
//      hypotheses (spectral shifts of the input blocks), |.|^2 folded over 5 ms half-frames
//      (non-coherent), with the sampling clock assumed to share the carrier's crystal: a carrier offset
//      cfo stretches the half-frame to 9600 (1 - cfo/fc) samples when fc is known. Every peak above a
//      threshold set from the correlation's own mean (a false-alarm rate over all hypotheses) is kept,
//      minus sidelobes of stronger peaks.
//      Peaks above a relaxed threshold go on when their correlations turn by a constant step from one
//      half-frame to the next (coherence), which a cell's do and noise's do not.
//   2. Timing and CFO refined on a fine grid; SSS (6.11.2) coherent detection with the PSS as channel
//      reference (smoothed over the delay profile, alone and averaged over neighbouring half-frames) for the
//      four (FDD/TDD x normal/extended CP) PSS-SSS distances: N_ID(1), subframe 0/5; the phase between PSS
//      and SSS refines the CFO.
//   3. CFO refinement from port 0's CRS (6.10.1) estimated per slot; channel estimates per port from the CRS
//      of subframes 9, 0 and 1 (FDD; 0 for TDD) smoothed over the delay profile, alone and averaged over
//      neighbouring frames; PBCH (6.6): QPSK soft bits (SFBC for 2 and 4 ports), descrambling over the 4
//      frame offsets of the 40 ms block (ranked by how coherently the repeats add), de-rate-matching with soft
//      combining of repeats and frames, every 40 ms block alone then all of them combined under the SFN's
//      patterns, tail-biting Viterbi (libosmocoding), CRC-16 with the port mask (36.212 5.3.1) -> ports, a
//      soft-evidence check against noise decoded into a codeword; MIB (36.331).
//   4. RSRP / RSRQ / SINR from the CRS of port 0.
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dsp/lte/mib.hpp"
#include "dsp/lte/pss_search.hpp"
#include "dsp/lte/sync_canceller.hpp"

namespace tw::dsp::lte {

using cf32 = std::complex<float>;

struct CellSearchConfig {
  double max_cfo_hz = 270e3;        // search +- this (100 ppm at 2.7 GHz)
  double carrier_hz = 0.0;          // > 0: the sampling clock drifts by cfo / carrier_hz (one crystal)
  int max_cells = 8;
  double cfo_step_hz = 5625.0;      // coarse CFO grid, rounded to a multiple of 1875 Hz (FFT bin)
  int max_half_frames = 16;         // 5 ms periods used by the PSS search (16: 80 ms)
  int max_pbch_frames = 8;          // radio frames used for SSS / PBCH / measurements
  double pss_false_alarms = 0.1;    // expected noise peaks per search passed on to the SSS stage as they are
  double pss_candidates = 30.0;     // expected noise peaks per search of the relaxed threshold: those peaks ...
  double pss_min_coherence = 12.0;  // ... go on only when they turn coherently over the occurrences (noise:
                                    // P(coherence > q) about 16 e^-q)
  double sss_min_score = 5.0;       // SSS: |correlation| over the noise's deviation per component (noise:
                                    // Rayleigh of unit scale) to try the PBCH (which the CRC then confirms)
  // Duplex modes tried by the SSS (36.211 6.11.2: FDD and TDD put the SSS at different distances from the
  // PSS): 0 both; 1 FDD only, 2 TDD only, when every band at the carrier is of that mode (36.101 table
  // 5.5-1), which spares the TDD hypotheses' false matches in an FDD band.
  int duplex = 0;
  bool report_undecoded = true;     // report a cell whose MIB fails ("mib": null) ...
  double undecoded_min_score = 15.0;  // ... only when its SSS is this strong, and its PSS is not within
                                    // +-200 samples of a decoded cell at a CFO 7.5 kHz or more away (the
                                    // Zadoff-Chu time/frequency ghosts of a strong cell)
};

struct LteCell {
  int pci = -1;
  int n_id_1 = -1;
  int n_id_2 = -1;
  std::string duplex;               // "FDD" | "TDD"
  std::string cp;                   // "normal" | "extended"
  bool mib_decoded = false;
  int ports = 0;                    // 1 2 4 (0: MIB not decoded)
  Mib mib;                          // valid when mib_decoded; mib.sfn = SFN of the frame at frame_start_sample
  std::array<std::uint8_t, 3> mib_octets{};
  double rsrp_dbfs = 0.0;           // power of one CRS RE of port 0 relative to |x| = 1
  double rsrq_db = 0.0;             // 6 RSRP / RSSI (RSSI over the central 72 subcarriers, CRS symbols)
  double sinr_db = 0.0;             // CRS signal over noise (CRS of port 0 repeated half a subframe later)
  double cfo_hz = 0.0;              // carrier offset: the cell appears at this baseband frequency
  std::int64_t frame_start_sample = 0;  // first sample of a radio frame, in 0 .. 19199 (may lie past the end)
  double pss_metric = 0.0;          // folded PSS correlation over its mean
  double sss_score = 0.0;           // SSS detection score (normalised correlation x sqrt(N))
  int pss_sample = 0;               // start of a PSS's useful part, modulo 9600
  SyncTrace sync;                   // where its PSS/SSS are (the search cancels a decoded cell's: not reported)
};

// {"type":"cell","rat":"LTE","pci",..,"n_id_1","n_id_2","duplex","cp","ports","bandwidth_prb",
//  "phich":{"duration","resource"},"sfn","mib":"681c00"|null,"rsrp_dbfs","rsrq_db","sinr_db","cfo_hz",
//  "frame_start_sample"}; MIB-derived fields are null when the MIB was not decoded.
nlohmann::json to_json(const LteCell& cell);

class CellSearch {
 public:
  // Throws tw::InputError naming the field for a configuration it cannot serve.
  explicit CellSearch(const CellSearchConfig& cfg);
  ~CellSearch();
  CellSearch(const CellSearch&) = delete;
  CellSearch& operator=(const CellSearch&) = delete;

  // Cells in `iq` (1.92 Msps, at least one 10 ms frame for a full search), strongest first.
  std::vector<LteCell> execute(std::span<const cf32> iq_1p92msps);
  // The same from stage 2 on, for PSS peaks found by a PssSearch elsewhere (one search over several raster
  // points: pss_search.hpp): bin in iq's sample timing, cfo_hz from iq's centre, thresholds as found.
  // decoded_nearby: cells decoded by the searches of neighbouring raster points (cfo_hz and pss_sample in this
  // search's terms); their Zadoff-Chu ghosts are passed over as those of a cell decoded here are.
  // The PSS/SSS (and CRS) of the decoded cells, nearby ones included, are cancelled before the next peak is
  // looked at (sync_canceller.hpp). max_tried: stop after this many peaks went to the SSS stage; *consumed:
  // the peaks looked at (the rest may be passed to a later call).
  std::vector<LteCell> execute(std::span<const cf32> iq_1p92msps, std::span<const PssPeak> peaks,
                               std::span<const LteCell> decoded_nearby = {}, std::size_t max_tried = SIZE_MAX,
                               std::size_t* consumed = nullptr);
  void reset() {}

  const CellSearchConfig& config() const { return cfg_; }

  struct Impl;

 private:
  CellSearchConfig cfg_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw::dsp::lte
