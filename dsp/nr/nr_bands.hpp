// NR FR1 frequencies (TS 38.104 / 38.101-1):
//   NR-ARFCN (5.4.2.1): F_REF = F_REF-Offs + dF_Global (N_REF - N_REF-Offs): 0-3000 MHz: 5 kHz, N 0..599999;
//     3000-24250 MHz: 15 kHz from 3000 MHz, N 600000..2016666.
//   GSCN (5.4.3.1, table 5.4.3.1-1): 0-3000 MHz: SS_REF = N x 1200 kHz + M x 50 kHz, N 1..2499, M in {1,3,5},
//     GSCN = 3N + (M-3)/2;  3000-24250 MHz: SS_REF = 3000 MHz + N x 1.44 MHz, GSCN = 7499 + N.
//   The synchronization raster of each band (table 5.4.3.3-1): SSB SCS, SSB pattern (38.213 4.1 case A/B/C),
//     first GSCN, step, last GSCN. Bands here: n1 n3 n5 n7 n8 n20 n28 n38 n40 n41 n77 n78 n79.
//   L_max (38.213 4.1): 4 at or below 3 GHz (case C unpaired: 1.88 GHz), else 8.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "dsp/nr/ssb_grid.hpp"

namespace tw::dsp::nr {

struct NrSyncRaster {
  SsbCase ssb_case = SsbCase::A;
  int scs_khz = 15;
  int gscn_first = 0, gscn_step = 1, gscn_last = 0;
};

struct NrBand {
  int band = 0;
  double dl_low_hz = 0.0, dl_high_hz = 0.0;
  bool tdd = false;
  std::vector<NrSyncRaster> rasters;
};

const std::vector<NrBand>& nr_bands();
const NrBand* nr_band(int band);
// "NR-n78" / "n78" / "NR78" (case-insensitive) -> 78 when supported.
std::optional<int> nr_band_from_name(const std::string& name);
std::string nr_band_name(int band);   // "NR-n78"

std::optional<double> nr_arfcn_to_hz(int nr_arfcn);
std::optional<int> hz_to_nr_arfcn(double hz, double tolerance_hz = 1.0);
std::optional<double> gscn_to_hz(int gscn);
std::optional<int> hz_to_gscn(double hz, double tolerance_hz = 1.0);

int ssb_l_max(SsbCase c, double ss_ref_hz, bool tdd);

struct NrSsbCandidate {
  int band = 0;
  int gscn = 0;
  double ss_ref_hz = 0.0;
  int nr_arfcn = 0;
  SsbCase ssb_case = SsbCase::A;
  int scs_khz = 15;
  int l_max = 4;
};
// Every raster point of a band in order.
std::vector<NrSsbCandidate> nr_band_raster(int band);
// Every raster point of the supported bands within [low_hz, high_hz] (one entry per band and SCS).
std::vector<NrSsbCandidate> nr_raster_between(double low_hz, double high_hz);

}  // namespace tw::dsp::nr
