#include "dsp/lte/turbo_rate_match.hpp"

#include <algorithm>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {
// Table 5.1.4-1: inter-column permutation pattern of the turbo code sub-block interleaver.
constexpr int kPerm[kTurboSubblockColumns] = {0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30,
                                              1, 17, 9, 25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31};

void check_rv(int rv) {
  if (rv < 0 || rv > 3) throw InputError("rate matching: rv = " + std::to_string(rv) + " is not 0..3");
}
}  // namespace

TurboRateMatcher::TurboRateMatcher(int k, int n_filler) : k_(k), n_filler_(n_filler) {
  if (!is_turbo_block_size(k)) throw InputError("rate matching: K = " + std::to_string(k) + " is not a turbo block size");
  if (n_filler < 0 || n_filler >= k) throw InputError("rate matching: filler bits F = " + std::to_string(n_filler) + " out of range");
  const int d_bits = d();
  r_subblock_ = (d_bits + kTurboSubblockColumns - 1) / kTurboSubblockColumns;
  const int kpi = k_pi();
  const int n_dummy = kpi - d_bits;   // N_D <NULL> bits in front of y
  w_map_.assign(static_cast<std::size_t>(3 * kpi), -1);
  // y^(i)_m: <NULL> for m < N_D, else d^(i)_(m - N_D); d(0), d(1) also <NULL> for the F filler bits.
  auto source = [&](int stream, int m) {
    if (m < n_dummy) return -1;
    const int j = m - n_dummy;
    if (stream < 2 && j < n_filler_) return -1;
    return stream * d_bits + j;
  };
  for (int kk = 0; kk < kpi; ++kk) {
    const int col = kk / r_subblock_, row = kk % r_subblock_;
    const int pi01 = kPerm[col] + kTurboSubblockColumns * row;   // streams 0 and 1
    const int pi2 = (pi01 + 1) % kpi;                              // stream 2
    // Bit collection: w_k = v0_k; w_(K_pi + 2k) = v1_k; w_(K_pi + 2k + 1) = v2_k.
    w_map_[static_cast<std::size_t>(kk)] = source(0, pi01);
    w_map_[static_cast<std::size_t>(kpi + 2 * kk)] = source(1, pi01);
    w_map_[static_cast<std::size_t>(kpi + 2 * kk + 1)] = source(2, pi2);
  }
  valid_.reserve(w_map_.size());
  for (std::size_t p = 0; p < w_map_.size(); ++p)
    if (w_map_[p] >= 0) valid_.push_back(static_cast<int>(p));
}

int TurboRateMatcher::k0(int rv) const {
  check_rv(rv);
  const int r = r_subblock_;
  const int ncb = n_cb();
  return r * (2 * ((ncb + 8 * r - 1) / (8 * r)) * rv + 2);
}

int TurboRateMatcher::start_of(int rv) const {
  const int start = k0(rv);
  const auto it = std::lower_bound(valid_.begin(), valid_.end(), start);
  return it == valid_.end() ? 0 : static_cast<int>(it - valid_.begin());   // wraps round the buffer
}

void TurboRateMatcher::match(const TurboCodeword& cw, int rv, std::span<std::uint8_t> e) const {
  const std::size_t d_bits = static_cast<std::size_t>(d());
  if (cw.d0.size() != d_bits || cw.d1.size() != d_bits || cw.d2.size() != d_bits)
    throw InputError("rate matching: codeword streams must hold D = " + std::to_string(d_bits) + " bits");
  const std::uint8_t* streams[3] = {cw.d0.data(), cw.d1.data(), cw.d2.data()};
  const std::size_t nv = valid_.size();
  std::size_t j = static_cast<std::size_t>(start_of(rv));
  for (std::size_t kk = 0; kk < e.size(); ++kk) {
    const int src = w_map_[static_cast<std::size_t>(valid_[j])];
    e[kk] = streams[src / static_cast<int>(d_bits)][static_cast<std::size_t>(src) % d_bits];
    if (++j == nv) j = 0;
  }
}

void TurboRateMatcher::accumulate(std::span<const float> e, int rv, std::span<float> w) const {
  if (w.size() != static_cast<std::size_t>(k_w()))
    throw InputError("rate matching: soft buffer holds " + std::to_string(w.size()) + " values, K_w = " + std::to_string(k_w()));
  const std::size_t nv = valid_.size();
  std::size_t j = static_cast<std::size_t>(start_of(rv));
  for (std::size_t kk = 0; kk < e.size(); ++kk) {
    const float x = e[kk];
    if (x == x) w[static_cast<std::size_t>(valid_[j])] += x;   // NaN adds nothing
    if (++j == nv) j = 0;
  }
}

void TurboRateMatcher::to_streams(std::span<const float> w, std::span<float> d0, std::span<float> d1,
                                  std::span<float> d2) const {
  const std::size_t d_bits = static_cast<std::size_t>(d());
  if (w.size() != static_cast<std::size_t>(k_w()) || d0.size() != d_bits || d1.size() != d_bits || d2.size() != d_bits)
    throw InputError("rate matching: soft buffer or stream sizes do not match K = " + std::to_string(k_));
  std::fill(d0.begin(), d0.end(), 0.0f);
  std::fill(d1.begin(), d1.end(), 0.0f);
  std::fill(d2.begin(), d2.end(), 0.0f);
  float* streams[3] = {d0.data(), d1.data(), d2.data()};
  for (const int p : valid_) {
    const int src = w_map_[static_cast<std::size_t>(p)];
    streams[src / static_cast<int>(d_bits)][static_cast<std::size_t>(src) % d_bits] = w[static_cast<std::size_t>(p)];
  }
}

std::vector<int> turbo_rate_match_e(int g_bits, int qm, int c) {
  if (qm != 2 && qm != 4 && qm != 6) throw InputError("rate matching: modulation order Qm = " + std::to_string(qm) + " is not 2, 4 or 6");
  if (c < 1 || c > 1024) throw InputError("rate matching: code blocks C = " + std::to_string(c) + " out of range");
  if (g_bits < 0 || g_bits > kMaxDlschG) throw InputError("rate matching: G = " + std::to_string(g_bits) + " out of range");
  if (g_bits % qm != 0)
    throw InputError("rate matching: G = " + std::to_string(g_bits) + " is not a multiple of Qm = " + std::to_string(qm));
  const int gp = g_bits / qm;   // G' (N_L = 1)
  const int gamma = gp % c;
  std::vector<int> e(static_cast<std::size_t>(c));
  for (int r = 0; r < c; ++r)
    e[static_cast<std::size_t>(r)] = r <= c - gamma - 1 ? qm * (gp / c) : qm * ((gp + c - 1) / c);
  return e;
}

}  // namespace tw::dsp::lte
