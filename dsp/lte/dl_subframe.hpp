// The downlink of one LTE cell as the System Information receiver sees it: what the cell search and the MIB
// tell about the cell (CellParams), and one subframe after OFDM demodulation of the cell's whole bandwidth
// with the channel estimates of every antenna port (DlSubframe). Produced by dsp/lte/ofdm_demod +
// dsp/lte/channel_estimate; read by PCFICH, PDCCH and PDSCH (TS 36.211 6.7, 6.8, 6.4).
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <string>
#include <vector>

namespace tw::dsp::lte {

using cf32 = std::complex<float>;

struct CellParams {
  int pci = 0;                        // N_ID_cell 0..503
  int n_prb = 6;                      // N_RB_DL from the MIB: 6 15 25 50 75 100
  bool normal_cp = true;
  int ports = 1;                      // CRS antenna ports 1, 2, 4 (from the PBCH CRC mask)
  bool tdd = false;
  int tdd_config = -1;                // uplink-downlink configuration 0..6 once SIB1 told it, -1 unknown
  int special_subframe_config = -1;   // 0..9, -1 unknown
  bool phich_extended = false;        // MIB phich-Duration
  std::string phich_resource = "1";   // MIB phich-Resource Ng: "1/6", "1/2", "1", "2"
};

// One downlink subframe over every subcarrier of the cell (k = 0 .. 12 n_prb - 1 as in 36.211: the DC
// subcarrier is not numbered), OFDM symbols l = 0 .. n_symbols - 1 of the subframe.
struct DlSubframe {
  int sfn = 0;                        // 0..1023
  int subframe = 0;                   // 0..9
  int n_prb = 6;
  int n_symbols = 14;                 // 14 normal CP, 12 extended
  std::vector<cf32> re;               // received resource elements, re[l * 12 n_prb + k]
  std::array<std::vector<cf32>, 4> h; // channel estimate of port p at every RE (same layout); ports < CellParams::ports empty
  float noise_var = 1.0f;             // noise variance per RE (same scale as re)

  int n_sc() const { return 12 * n_prb; }
  cf32 at(int l, int k) const { return re[static_cast<std::size_t>(l * n_sc() + k)]; }
  cf32 h_at(int port, int l, int k) const { return h[static_cast<std::size_t>(port)][static_cast<std::size_t>(l * n_sc() + k)]; }
};

}  // namespace tw::dsp::lte
