#include "dsp/lte/dci_parse.hpp"

#include <algorithm>
#include <string>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {
void check_prb(int n_prb) {
  if (n_prb < 6 || n_prb > 110) throw InputError("n_prb: " + std::to_string(n_prb) + " is outside 6..110");
}
int ceil_log2(long v) {
  int b = 0;
  while ((1L << b) < v) ++b;
  return b;
}
bool ambiguous(int size) {
  static constexpr int sizes[] = {12, 14, 16, 20, 24, 26, 32, 40, 44, 56};
  return std::find(std::begin(sizes), std::end(sizes), size) != std::end(sizes);
}
}  // namespace

int riv_bits(int n_prb) {
  check_prb(n_prb);
  return ceil_log2(static_cast<long>(n_prb) * (n_prb + 1) / 2);
}

int dci_format0_bits(int n_prb, bool tdd) {
  // flag 1, hopping 1, RB assignment, MCS/RV 5, NDI 1, TPC 2, cyclic shift DM RS 3, [TDD: UL index / DAI 2],
  // CSI request 1, resource allocation type 1 (N_RB^UL <= N_RB^DL).
  return 1 + 1 + riv_bits(n_prb) + 5 + 1 + 2 + 3 + (tdd ? 2 : 0) + 1 + 1;
}

int dci_1a_bits(int n_prb, bool tdd) {
  // flag 1, localized/distributed 1, RB assignment, MCS 5, HARQ 3 (TDD 4), NDI 1, RV 2, TPC 2, [TDD: DAI 2].
  int n = 1 + 1 + riv_bits(n_prb) + 5 + (tdd ? 4 : 3) + 1 + 2 + 2 + (tdd ? 2 : 0);
  n = std::max(n, dci_format0_bits(n_prb, tdd));
  if (ambiguous(n)) ++n;
  return n;
}

int n_gap(int n_prb, int gap) {
  check_prb(n_prb);
  if (gap != 0 && gap != 1) throw InputError("gap: " + std::to_string(gap) + " is not 0 or 1");
  if (gap == 1) {
    if (n_prb < 50) throw InputError("gap: N_gap,2 needs N_RB >= 50");
    return n_prb < 64 ? 9 : 16;
  }
  if (n_prb <= 10) return (n_prb + 1) / 2;
  if (n_prb == 11) return 4;
  if (n_prb <= 19) return 8;
  if (n_prb <= 26) return 12;
  if (n_prb <= 44) return 18;
  if (n_prb <= 63) return 27;
  if (n_prb <= 79) return 32;
  return 48;
}

int n_rb_step_1c(int n_prb) {
  check_prb(n_prb);
  return n_prb < 50 ? 2 : 4;
}

int n_vrb_gap1(int n_prb) {
  const int g = n_gap(n_prb, 0);
  return 2 * std::min(g, n_prb - g);
}

int dci_1c_riv_bits(int n_prb) {
  const long n = n_vrb_gap1(n_prb) / n_rb_step_1c(n_prb);
  return ceil_log2(n * (n + 1) / 2);
}

int dci_1c_bits(int n_prb) { return (n_prb >= 50 ? 1 : 0) + dci_1c_riv_bits(n_prb) + 5; }

int dci_bits(DciFormat f, int n_prb, bool tdd) { return f == DciFormat::f1a ? dci_1a_bits(n_prb, tdd) : dci_1c_bits(n_prb); }

std::optional<Dci> parse_dci(DciFormat format, std::span<const std::uint8_t> bits, int n_prb, bool tdd, std::uint16_t rnti) {
  const int size = dci_bits(format, n_prb, tdd);
  if (bits.size() != static_cast<std::size_t>(size))
    throw InputError("DCI payload: " + std::to_string(bits.size()) + " bits, format " + (format == DciFormat::f1a ? "1A" : "1C") +
                     " has " + std::to_string(size));
  for (std::size_t i = 0; i < bits.size(); ++i)
    if (bits[i] > 1) throw InputError("DCI payload: bit " + std::to_string(i) + " is not 0/1");
  std::size_t pos = 0;
  auto take = [&](int n) {
    int v = 0;
    for (int i = 0; i < n; ++i) v = (v << 1) | bits[pos++];
    return v;
  };
  Dci d;
  d.format = format;
  d.rnti = rnti;
  d.bits.assign(bits.begin(), bits.end());
  if (format == DciFormat::f1a) {
    if (take(1) != 1) return std::nullopt;   // flag 0: format 0
    d.distributed = take(1) == 1;
    // For the SI-/P-/RA-RNTI the whole field is the RIV (the gap is in the NDI bit); otherwise a distributed
    // assignment with N_RB >= 50 spends the field's MSB on the gap.
    const bool common_rnti = rnti == kSiRnti || rnti == kPRnti || rnti <= 0x003C;   // RA-RNTI 1..60 (36.321 7.1)
    const int nb = riv_bits(n_prb);
    if (d.distributed && n_prb >= 50 && !common_rnti) {
      d.gap = take(1);
      d.riv = take(nb - 1);
    } else {
      d.riv = take(nb);
    }
    d.mcs = take(5);
    d.harq_process = take(tdd ? 4 : 3);
    d.ndi = take(1) == 1;
    if (common_rnti && d.distributed && n_prb >= 50) d.gap = d.ndi ? 1 : 0;
    d.rv = take(2);
    d.tpc = take(2);
    return d;
  }
  d.distributed = true;
  d.rv = -1;
  if (n_prb >= 50) d.gap = take(1);
  d.riv = take(dci_1c_riv_bits(n_prb));
  d.mcs = take(5);
  return d;
}

}  // namespace tw::dsp::lte
