#include "dsp/nr/nr_bands.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace tw::dsp::nr {

const std::vector<NrBand>& nr_bands() {
  static const std::vector<NrBand> b = {
      {1, 2110e6, 2170e6, false, {{SsbCase::A, 15, 5279, 1, 5419}}},
      {3, 1805e6, 1880e6, false, {{SsbCase::A, 15, 4517, 1, 4693}}},
      {5, 869e6, 894e6, false, {{SsbCase::A, 15, 2177, 1, 2230}, {SsbCase::B, 30, 2183, 1, 2224}}},
      {7, 2620e6, 2690e6, false, {{SsbCase::A, 15, 6554, 1, 6718}}},
      {8, 925e6, 960e6, false, {{SsbCase::A, 15, 2318, 1, 2395}}},
      {20, 791e6, 821e6, false, {{SsbCase::A, 15, 1982, 1, 2047}}},
      {28, 758e6, 803e6, false, {{SsbCase::A, 15, 1901, 1, 2002}}},
      {38, 2570e6, 2620e6, true, {{SsbCase::C, 30, 6432, 1, 6543}}},
      {40, 2300e6, 2400e6, true, {{SsbCase::C, 30, 5762, 1, 5989}}},
      {41, 2496e6, 2690e6, true, {{SsbCase::A, 15, 6246, 3, 6717}, {SsbCase::C, 30, 6252, 3, 6714}}},
      {77, 3300e6, 4200e6, true, {{SsbCase::C, 30, 7711, 1, 8329}}},
      {78, 3300e6, 3800e6, true, {{SsbCase::C, 30, 7711, 1, 8051}}},
      {79, 4400e6, 5000e6, true, {{SsbCase::C, 30, 8480, 16, 8880}}},
  };
  return b;
}

const NrBand* nr_band(int band) {
  for (const auto& b : nr_bands())
    if (b.band == band) return &b;
  return nullptr;
}

std::optional<int> nr_band_from_name(const std::string& name) {
  std::string s;
  for (char c : name)
    if (!std::isspace(static_cast<unsigned char>(c))) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s.rfind("nr-", 0) == 0) s = s.substr(3);
  else if (s.rfind("nr", 0) == 0) s = s.substr(2);
  if (!s.empty() && s[0] == 'n') s = s.substr(1);
  if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return std::nullopt;
  const int b = std::stoi(s);
  if (!nr_band(b)) return std::nullopt;
  return b;
}

std::string nr_band_name(int band) { return "NR-n" + std::to_string(band); }

std::optional<double> nr_arfcn_to_hz(int n) {
  if (n >= 0 && n < 600000) return 5e3 * n;
  if (n >= 600000 && n <= 2016666) return 3000e6 + 15e3 * (n - 600000);
  return std::nullopt;
}

std::optional<int> hz_to_nr_arfcn(double hz, double tol) {
  int n;
  if (hz < 3000e6) n = static_cast<int>(std::lround(hz / 5e3));
  else n = 600000 + static_cast<int>(std::lround((hz - 3000e6) / 15e3));
  const auto f = nr_arfcn_to_hz(n);
  if (!f || std::fabs(*f - hz) > tol) return std::nullopt;
  return n;
}

std::optional<double> gscn_to_hz(int gscn) {
  if (gscn >= 2 && gscn <= 7498) {
    const int m3 = ((gscn % 3) + 3) % 3;   // GSCN = 3N + (M-3)/2: M = 3 + 2 ((GSCN mod 3 + 1) mod 3 - 1)
    int m, n;
    if (m3 == 0) { m = 3; n = gscn / 3; }
    else if (m3 == 1) { m = 5; n = (gscn - 1) / 3; }
    else { m = 1; n = (gscn + 1) / 3; }
    return n * 1200e3 + m * 50e3;
  }
  if (gscn >= 7499 && gscn <= 22255) return 3000e6 + (gscn - 7499) * 1.44e6;
  return std::nullopt;
}

std::optional<int> hz_to_gscn(double hz, double tol) {
  int g;
  if (hz < 3000e6) {
    const int n = static_cast<int>(std::lround((hz - 150e3) / 1200e3));   // M x 50 kHz in 50..250 kHz
    const int m = static_cast<int>(std::lround((hz - n * 1200e3) / 50e3));
    if (m != 1 && m != 3 && m != 5) return std::nullopt;
    g = 3 * n + (m - 3) / 2;
  } else {
    g = 7499 + static_cast<int>(std::lround((hz - 3000e6) / 1.44e6));
  }
  const auto f = gscn_to_hz(g);
  if (!f || std::fabs(*f - hz) > tol) return std::nullopt;
  return g;
}

int ssb_l_max(SsbCase c, double f, bool tdd) {
  if (c == SsbCase::C && tdd) return f <= 1880e6 ? 4 : 8;
  return f <= 3000e6 ? 4 : 8;
}

std::vector<NrSsbCandidate> nr_band_raster(int band) {
  std::vector<NrSsbCandidate> out;
  const NrBand* b = nr_band(band);
  if (!b) return out;
  for (const auto& r : b->rasters)
    for (int g = r.gscn_first; g <= r.gscn_last; g += r.gscn_step) {
      NrSsbCandidate c;
      c.band = band;
      c.gscn = g;
      c.ss_ref_hz = *gscn_to_hz(g);
      c.nr_arfcn = hz_to_nr_arfcn(c.ss_ref_hz).value_or(-1);
      c.ssb_case = r.ssb_case;
      c.scs_khz = r.scs_khz;
      c.l_max = ssb_l_max(r.ssb_case, c.ss_ref_hz, b->tdd);
      out.push_back(c);
    }
  return out;
}

std::vector<NrSsbCandidate> nr_raster_between(double low, double high) {
  std::vector<NrSsbCandidate> out;
  for (const auto& b : nr_bands()) {
    if (b.dl_high_hz < low || b.dl_low_hz > high) continue;
    for (const auto& c : nr_band_raster(b.band))
      if (c.ss_ref_hz >= low && c.ss_ref_hz <= high) out.push_back(c);
  }
  return out;
}

}  // namespace tw::dsp::nr
