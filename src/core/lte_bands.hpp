// LTE (E-UTRA) downlink bands and the EARFCN raster, 3GPP TS 36.101 clause 5.7.3, table 5.7.3-1:
//   F_DL = F_DL_low + 0.1 MHz x (N_DL - N_Offs-DL),   N_DL in [N_Offs-DL, N_Offs-DL + 10 x (F_DL_high - F_DL_low) - 1]
// (table 5.5-1 gives the band edges and the duplex mode). The 100 kHz channel raster (clause 5.7.2): every
// EARFCN is a possible carrier centre. Bands here: 1, 2, 3, 4, 5, 7, 8, 12, 13, 17, 20, 25, 26, 28, 32, 38,
// 39, 40, 41, 42, 43, 66, 71 (the ones deployed widely); the downlink EARFCN ranges of different bands do
// not overlap, so an EARFCN names its band, while a frequency may lie in several bands (1, 4 and 66).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace tw {

enum class LteDuplex { fdd, tdd, sdl };   // sdl: supplemental downlink only (band 32)

struct LteBand {
  int band = 0;
  double dl_low_hz = 0.0;    // F_DL_low
  double dl_high_hz = 0.0;   // F_DL_high
  int n_offs_dl = 0;         // N_Offs-DL = the band's first downlink EARFCN
  int n_dl_max = 0;          // last downlink EARFCN
  LteDuplex duplex = LteDuplex::fdd;
};

struct LteChannel {
  int earfcn = 0;
  int band = 0;
  double downlink_hz = 0.0;
};

// The supported bands in band-number order.
const std::vector<LteBand>& lte_bands();
// nullptr for a band not in the table.
const LteBand* lte_band(int band);

// Downlink carrier of an EARFCN (nullopt when no supported band has it), or of an EARFCN in a given band
// (nullopt when the EARFCN is outside that band's range).
std::optional<double> lte_downlink_hz(int earfcn);
std::optional<double> lte_downlink_hz(int earfcn, int band);
std::optional<int> lte_band_of_earfcn(int earfcn);
// The EARFCN of a downlink frequency in a band: the frequency must be on the 100 kHz raster (within
// tolerance_hz) and inside the band's EARFCN range.
std::optional<int> lte_earfcn(double downlink_hz, int band, double tolerance_hz = 1.0);
// Every supported band whose downlink EARFCN range contains the frequency (on the raster).
std::vector<int> lte_bands_at(double downlink_hz, double tolerance_hz = 1.0);
// Every downlink EARFCN of a band in order.
std::vector<LteChannel> lte_band_channels(int band);

// "LTE-B3" for band 3.
std::string lte_band_name(int band);
// Parses "LTE-B3", "LTE-3", "LTEB3", "LTE3" or "B3" (case-insensitive, spaces ignored) to a supported band.
std::optional<int> lte_band_from_name(const std::string& name);
const char* lte_duplex_name(LteDuplex duplex);   // "FDD", "TDD", "SDL"

}  // namespace tw
