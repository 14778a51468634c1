#include "dsp/lte/lte_signals.hpp"

#include <cmath>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {
constexpr double kPi = 3.14159265358979323846;

void check_range(int v, int lo, int hi, const char* field) {
  if (v < lo || v > hi) {
    throw InputError(std::string(field) + ": " + std::to_string(v) + " is outside " + std::to_string(lo) + ".." +
                     std::to_string(hi));
  }
}

// The three length-31 m-sequences of 36.211 6.11.2.1 as +-1: x(i+5) = taps(x) mod 2, x(0..4) = 0 0 0 0 1.
template <class F>
std::array<int, 31> m_sequence(F next) {
  std::array<int, 31 + 5> x{};
  x[4] = 1;
  for (int i = 0; i + 5 < 36; ++i) x[static_cast<std::size_t>(i + 5)] = next(x, i) & 1;
  std::array<int, 31> s{};
  for (int i = 0; i < 31; ++i) s[static_cast<std::size_t>(i)] = 1 - 2 * x[static_cast<std::size_t>(i)];
  return s;
}
const std::array<int, 31>& s_tilde() {
  static const auto s = m_sequence([](const auto& x, int i) { return x[i + 2] + x[i]; });
  return s;
}
const std::array<int, 31>& c_tilde() {
  static const auto s = m_sequence([](const auto& x, int i) { return x[i + 3] + x[i]; });
  return s;
}
const std::array<int, 31>& z_tilde() {
  static const auto s = m_sequence([](const auto& x, int i) { return x[i + 4] + x[i + 2] + x[i + 1] + x[i]; });
  return s;
}
}  // namespace

int pss_root(int n_id_2) {
  check_range(n_id_2, 0, 2, "N_ID(2)");
  static constexpr int roots[3] = {25, 29, 34};  // table 6.11.1.1-1
  return roots[n_id_2];
}

std::array<cf32, 62> pss_sequence(int n_id_2) {
  const int u = pss_root(n_id_2);
  std::array<cf32, 62> d{};
  for (int n = 0; n < 62; ++n) {
    // n = 0..30: -pi u n (n+1) / 63; n = 31..61: -pi u (n+1)(n+2) / 63 (the ZC element at DC is skipped).
    const long long e = n <= 30 ? static_cast<long long>(u) * n * (n + 1) : static_cast<long long>(u) * (n + 1) * (n + 2);
    const double ph = -kPi * static_cast<double>(e % 126) / 63.0;
    d[static_cast<std::size_t>(n)] = cf32(static_cast<float>(std::cos(ph)), static_cast<float>(std::sin(ph)));
  }
  return d;
}

SssIndices sss_indices(int n_id_1) {
  check_range(n_id_1, 0, 167, "N_ID(1)");
  const int qp = n_id_1 / 30;
  const int q = (n_id_1 + qp * (qp + 1) / 2) / 30;
  const int mp = n_id_1 + q * (q + 1) / 2;
  const int m0 = mp % 31;
  const int m1 = (m0 + mp / 31 + 1) % 31;
  return {m0, m1};
}

std::array<float, 62> sss_sequence(int n_id_1, int n_id_2, int subframe) {
  check_range(n_id_2, 0, 2, "N_ID(2)");
  if (subframe != 0 && subframe != 5) throw InputError("SSS subframe: " + std::to_string(subframe) + " is not 0 or 5");
  const auto [m0, m1] = sss_indices(n_id_1);
  const auto& s = s_tilde();
  const auto& c = c_tilde();
  const auto& z = z_tilde();
  std::array<float, 62> d{};
  for (int n = 0; n < 31; ++n) {
    const int s0 = s[static_cast<std::size_t>((n + m0) % 31)];
    const int s1 = s[static_cast<std::size_t>((n + m1) % 31)];
    const int c0 = c[static_cast<std::size_t>((n + n_id_2) % 31)];
    const int c1 = c[static_cast<std::size_t>((n + n_id_2 + 3) % 31)];
    const int z1m0 = z[static_cast<std::size_t>((n + (m0 % 8)) % 31)];
    const int z1m1 = z[static_cast<std::size_t>((n + (m1 % 8)) % 31)];
    if (subframe == 0) {
      d[static_cast<std::size_t>(2 * n)] = static_cast<float>(s0 * c0);
      d[static_cast<std::size_t>(2 * n + 1)] = static_cast<float>(s1 * c1 * z1m0);
    } else {
      d[static_cast<std::size_t>(2 * n)] = static_cast<float>(s1 * c0);
      d[static_cast<std::size_t>(2 * n + 1)] = static_cast<float>(s0 * c1 * z1m1);
    }
  }
  return d;
}

void crs_sequence(int n_id_cell, int ns, int l, bool normal_cp, std::span<cf32> out) {
  check_range(n_id_cell, 0, 503, "N_ID_cell");
  check_range(ns, 0, 19, "ns");
  check_range(l, 0, 6, "l");
  const std::uint32_t c_init = (1u << 10) * static_cast<std::uint32_t>(7 * (ns + 1) + l + 1) *
                                   static_cast<std::uint32_t>(2 * n_id_cell + 1) +
                               static_cast<std::uint32_t>(2 * n_id_cell) + (normal_cp ? 1u : 0u);
  // Up to 2*N_RB^max symbols: 440 bits on the stack.
  std::array<std::uint8_t, 4 * kMaxRb> c{};
  if (out.size() > 2 * static_cast<std::size_t>(kMaxRb)) throw InputError("crs_sequence: more than 2*N_RB^max symbols asked");
  gold_sequence(c_init, std::span<std::uint8_t>(c.data(), 2 * out.size()));
  const float a = static_cast<float>(1.0 / std::sqrt(2.0));
  for (std::size_t m = 0; m < out.size(); ++m) {
    out[m] = cf32(a * (1.0f - 2.0f * c[2 * m]), a * (1.0f - 2.0f * c[2 * m + 1]));
  }
}

int crs_symbols_in_slot(int port, bool normal_cp, std::array<int, 2>& symbols) {
  check_range(port, 0, 3, "antenna port");
  if (port <= 1) {
    symbols = {0, symbols_per_slot(normal_cp) - 3};
    return 2;
  }
  symbols = {1, 1};
  return 1;
}

int crs_k_offset(int port, int ns, int l, bool normal_cp, int n_id_cell) {
  check_range(port, 0, 3, "antenna port");
  (void)normal_cp;
  int v = 0;
  switch (port) {
    case 0: v = l == 0 ? 0 : 3; break;
    case 1: v = l == 0 ? 3 : 0; break;
    case 2: v = 3 * (ns % 2); break;
    default: v = 3 + 3 * (ns % 2); break;
  }
  return (v + n_id_cell % 6) % 6;
}

int cp_length(int l, bool normal_cp, int fft_size) {
  if (fft_size < 128 || fft_size % 128 != 0) throw InputError("fft_size: " + std::to_string(fft_size) + " is not a multiple of 128");
  const int n = fft_size / 128;
  if (!normal_cp) return 32 * n;
  return (l == 0 ? 10 : 9) * n;
}

int symbols_per_slot(bool normal_cp) { return normal_cp ? 7 : 6; }

int symbol_start(int symbol_in_subframe, bool normal_cp, int fft_size) {
  const int per_slot = symbols_per_slot(normal_cp);
  check_range(symbol_in_subframe, 0, 2 * per_slot - 1, "symbol in subframe");
  const int slot = symbol_in_subframe / per_slot, l = symbol_in_subframe % per_slot;
  int pos = slot * (fft_size / 128) * 960;
  for (int i = 0; i < l; ++i) pos += cp_length(i, normal_cp, fft_size) + fft_size;
  return pos;
}

int pss_symbol(bool tdd, bool normal_cp) { return tdd ? 2 : symbols_per_slot(normal_cp) - 1; }
int sss_symbol(bool tdd, bool normal_cp) {
  return tdd ? 2 * symbols_per_slot(normal_cp) - 1 : symbols_per_slot(normal_cp) - 2;
}
int pss_subframe(bool tdd) { return tdd ? 1 : 0; }
int sss_subframe(bool) { return 0; }

std::vector<GridRe> pbch_resource_elements(int n_id_cell, bool normal_cp) {
  check_range(n_id_cell, 0, 503, "N_ID_cell");
  const int per_slot = symbols_per_slot(normal_cp);
  const int v = n_id_cell % 3;
  std::vector<GridRe> res;
  res.reserve(240);
  for (int l = 0; l < 4; ++l) {
    // Symbols of slot 1 that carry CRS of any of ports 0..3: l = 0, 1 and N_symb - 3.
    const bool crs = l == 0 || l == 1 || l == per_slot - 3;
    for (int k = 0; k < kCentralSubcarriers; ++k) {
      if (crs && k % 3 == v) continue;
      res.push_back({per_slot + l, k});
    }
  }
  return res;
}

}  // namespace tw::dsp::lte
