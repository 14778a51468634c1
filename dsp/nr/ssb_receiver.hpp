// NR cell receiver over one capture: for every synchronization raster point the capture's band holds,
// SsbSearch (PSS/SSS/timing/CFO/SS-RSRP/SS-SINR) -> per PCI, its SSB occurrences strongest first: PBCH DMRS
// (i_SSB, channel, noise) -> QPSK LLRs (38.211 5.1.3; + = bit 0) of the 432 PBCH REs -> pbch_decode (38.212
// 7.1 polar list decoding and CRC24C, with PBCH descrambling) -> PBCH payload: MIB bits, SFN, half-frame,
// SSB index, k_SSB MSB. Captures narrower than the SSB (240 subcarriers: 3.84 Msps at 15 kHz, 7.68 at 30 kHz
// with guard) give the PCI and measurements only ("pbch":"not in band").
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsp/nr/nr_bands.hpp"
#include "dsp/nr/ssb_search.hpp"

namespace tw::dsp::nr {

struct NrRasterPoint {
  int gscn = -1;                // -1: not on the raster (given by frequency)
  int nr_arfcn = -1;
  int band = 0;
  double ss_ref_hz = 0.0;       // absolute; 0 when the capture's centre is unknown
  double offset_hz = 0.0;       // from the capture's centre
  int scs_khz = 15;
  SsbCase ssb_case = SsbCase::A;
  int l_max = 4;
};

struct NrCell {
  NrRasterPoint at;
  SsbDetection ssb;             // the occurrence reported (the decoded one, else the strongest)
  int occurrences = 0;          // SSB occurrences of this PCI found
  std::string pbch;             // "decoded" | "crc failed" | "not in band"
  int i_ssb_bar = -1;           // from the DMRS (-1: no PBCH stage)
  double dmrs_metric = 0.0;
  double pbch_metric = 0.0;     // pbch_decode's metric
  bool mib_decoded = false;
  std::uint32_t mib_bits = 0;   // 24 bits (choice bit first, bit 23)
  int sfn = -1;
  int half_frame = -1;
  int ssb_index = -1;           // from the DMRS (L_max 4: 2 LSBs; 8: 3 bits), the payload when decoded
  int k_ssb_msb = -1;
};

struct NrReceiverConfig {
  SsbSearchConfig search;
  int max_pbch_attempts = 8;    // SSB occurrences tried per PCI
};

// The raster points whose PSS lies in a capture at centre_hz (> 0) and sample_rate_hz, for the given bands
// (empty: every supported band).
std::vector<NrRasterPoint> raster_points_in_capture(double center_hz, double sample_rate_hz, const std::vector<int>& bands = {});

class NrReceiver {
 public:
  explicit NrReceiver(const NrReceiverConfig& cfg = {});
  // Cells in the capture at the given raster points, strongest first per point.
  std::vector<NrCell> execute(std::span<const cf32> iq, double sample_rate_hz, const std::vector<NrRasterPoint>& points);
  void reset() {}

 private:
  NrReceiverConfig cfg_;
};

// {"type":"cell","rat":"NR","gscn","nr_arfcn","band","ss_ref_hz","scs_khz","pci","n_id_1","n_id_2",
//  "ssb_index","half_frame","sfn","k_ssb_msb","pbch","mib_hex","rsrp_dbfs","sinr_db","cfo_hz","cfo_ppm",
//  "ssb_start_sample","pss_metric","sss_score"} (null where not decoded); the MIB's fields are the caller's
// ("mib", src/nr/mib).
nlohmann::json to_json(const NrCell& cell);

}  // namespace tw::dsp::nr
