#include "src/core/lte_bands.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace tw {

namespace {

// TS 36.101 table 5.5-1 (downlink band edges, duplex mode) and table 5.7.3-1 (N_Offs-DL, range of N_DL).
// Band, F_DL_low MHz, F_DL_high MHz, N_Offs-DL, last N_DL, duplex.
const std::vector<LteBand>& table() {
  static const std::vector<LteBand> t = [] {
    struct Row {
      int band;
      double low_mhz, high_mhz;
      int n_offs, n_max;
      LteDuplex duplex;
    };
    const Row rows[] = {
        {1, 2110, 2170, 0, 599, LteDuplex::fdd},          {2, 1930, 1990, 600, 1199, LteDuplex::fdd},
        {3, 1805, 1880, 1200, 1949, LteDuplex::fdd},      {4, 2110, 2155, 1950, 2399, LteDuplex::fdd},
        {5, 869, 894, 2400, 2649, LteDuplex::fdd},        {7, 2620, 2690, 2750, 3449, LteDuplex::fdd},
        {8, 925, 960, 3450, 3799, LteDuplex::fdd},        {12, 729, 746, 5010, 5179, LteDuplex::fdd},
        {13, 746, 756, 5180, 5279, LteDuplex::fdd},       {17, 734, 746, 5730, 5849, LteDuplex::fdd},
        {20, 791, 821, 6150, 6449, LteDuplex::fdd},       {25, 1930, 1995, 8040, 8689, LteDuplex::fdd},
        {26, 859, 894, 8690, 9039, LteDuplex::fdd},       {28, 758, 803, 9210, 9659, LteDuplex::fdd},
        {32, 1452, 1496, 9920, 10359, LteDuplex::sdl},    {38, 2570, 2620, 37750, 38249, LteDuplex::tdd},
        {39, 1880, 1920, 38250, 38649, LteDuplex::tdd},   {40, 2300, 2400, 38650, 39649, LteDuplex::tdd},
        {41, 2496, 2690, 39650, 41589, LteDuplex::tdd},   {42, 3400, 3600, 41590, 43589, LteDuplex::tdd},
        {43, 3600, 3800, 43590, 45589, LteDuplex::tdd},   {66, 2110, 2200, 66436, 67335, LteDuplex::fdd},
        {71, 617, 652, 68586, 68935, LteDuplex::fdd},
    };
    std::vector<LteBand> out;
    for (const auto& r : rows)
      out.push_back(LteBand{r.band, r.low_mhz * 1e6, r.high_mhz * 1e6, r.n_offs, r.n_max, r.duplex});
    return out;
  }();
  return t;
}

double downlink(const LteBand& b, int earfcn) {
  // 0.1 MHz steps counted in integer Hz: exact.
  return b.dl_low_hz + 100e3 * static_cast<double>(earfcn - b.n_offs_dl);
}

}  // namespace

const std::vector<LteBand>& lte_bands() { return table(); }

const LteBand* lte_band(int band) {
  for (const auto& b : table())
    if (b.band == band) return &b;
  return nullptr;
}

std::optional<int> lte_band_of_earfcn(int earfcn) {
  for (const auto& b : table())
    if (earfcn >= b.n_offs_dl && earfcn <= b.n_dl_max) return b.band;
  return std::nullopt;
}

std::optional<double> lte_downlink_hz(int earfcn, int band) {
  const LteBand* b = lte_band(band);
  if (!b || earfcn < b->n_offs_dl || earfcn > b->n_dl_max) return std::nullopt;
  return downlink(*b, earfcn);
}

std::optional<double> lte_downlink_hz(int earfcn) {
  if (auto band = lte_band_of_earfcn(earfcn)) return lte_downlink_hz(earfcn, *band);
  return std::nullopt;
}

std::optional<int> lte_earfcn(double f, int band, double tolerance_hz) {
  const LteBand* b = lte_band(band);
  if (!b || !std::isfinite(f)) return std::nullopt;
  const double steps = (f - b->dl_low_hz) / 100e3;
  if (std::fabs(steps) > 1e6) return std::nullopt;
  const long k = std::lround(steps);
  if (std::fabs(f - (b->dl_low_hz + 100e3 * static_cast<double>(k))) > tolerance_hz) return std::nullopt;
  const long n = b->n_offs_dl + k;
  if (n < b->n_offs_dl || n > b->n_dl_max) return std::nullopt;
  return static_cast<int>(n);
}

std::vector<int> lte_bands_at(double f, double tolerance_hz) {
  std::vector<int> out;
  for (const auto& b : table())
    if (lte_earfcn(f, b.band, tolerance_hz)) out.push_back(b.band);
  return out;
}

std::vector<LteChannel> lte_band_channels(int band) {
  std::vector<LteChannel> out;
  if (const LteBand* b = lte_band(band))
    for (int n = b->n_offs_dl; n <= b->n_dl_max; ++n) out.push_back(LteChannel{n, band, downlink(*b, n)});
  return out;
}

std::string lte_band_name(int band) { return "LTE-B" + std::to_string(band); }

std::optional<int> lte_band_from_name(const std::string& name) {
  std::string s;
  for (char c : name)
    if (!std::isspace(static_cast<unsigned char>(c))) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string digits;
  for (const char* prefix : {"lte-b", "lte-", "lteb", "lte", "b"}) {
    const std::string p(prefix);
    if (s.size() > p.size() && s.compare(0, p.size(), p) == 0) {
      digits = s.substr(p.size());
      break;
    }
  }
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  const int band = std::stoi(digits);
  if (!lte_band(band)) return std::nullopt;
  return band;
}

const char* lte_duplex_name(LteDuplex d) {
  switch (d) {
    case LteDuplex::fdd: return "FDD";
    case LteDuplex::tdd: return "TDD";
    case LteDuplex::sdl: return "SDL";
  }
  return "?";
}

}  // namespace tw
