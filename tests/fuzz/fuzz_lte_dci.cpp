// DCI of the common search space and what the System Information receiver makes of it (dsp/lte/dci_parse,
// pdsch_allocation, tbs_table, si_schedule) under a rogue eNodeB that chooses every bit. The input:
//   octet 0: bit 0 format (0 1A, 1 1C), bit 1 TDD, bits 2-3 the RNTI whose mask checked (SI, P, RA 1..60,
//            a C-RNTI), bit 4 payload bits as raw octets (any value, not only 0/1), bit 5 a payload size
//            chosen by octet 2 instead of the format's;
//   octet 1: N_RB: bit 7 clear: the MIB's enumeration 6 15 25 50 75 100 (octet mod 6); set: (octet & 127) - 5,
//            inside and outside 6..110;
//   octet 2: the payload size when bit 5 of octet 0 is set;
//   octets 3-6: the payload, MSB first (raw mode: one octet per bit, from octet 3 on, as many as the size);
//   then 9 octets of a Dci with attacker-chosen fields for si_allocation (not through parse_dci), then a
//   System Information schedule and the times asked (see schedule()).
// Invariants (against 36.212 5.3.3.1.3/5.3.3.1.4, 36.213 7.1.6.3/7.1.7, 36.331 5.2.3 and 36.321 5.3.1,
// re-derived here): parse_dci accepts exactly the payloads of the format's size with 0/1 bits for N_RB
// 6..110, and its fields are the payload's bits; si_allocation gives an allocation exactly when the RIV is
// one within N_VRB and I_TBS is in its table (else tw::InputError): PRBs in 0..N_RB-1, ascending, no
// duplicates, as many in slot 0 as in slot 1 (L_CRBs, x N_RB^step for 1C), localized = the RIV's blocks in
// both slots, distributed = the blocks of 36.211 6.2.3.2's interleaver matrix built as the clause words it;
// the TBS of table 7.1.7.2.1-1 (column N_PRB^1A 2/3 by the TPC's LSB) or 7.1.7.2.3-1.
// check_si_schedule accepts exactly the valid schedules; si_message_at / si_window_start agree with the
// window rule. Only tw::InputError may come out.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dsp/lte/dci.hpp"
#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/si_schedule.hpp"
#include "dsp/lte/tbs_table.hpp"
#include "src/core/error.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace dl = tw::dsp::lte;

namespace {

// 36.213 table 7.1.7.2.1-1, columns N_PRB = 2 and 3 (format 1A with SI-/P-/RA-RNTI), I_TBS 0..26.
constexpr int kTbs1a[2][27] = {
    {32, 56, 72, 104, 120, 144, 176, 224, 256, 296, 328, 376, 440, 488, 552, 600, 632, 696, 776, 840, 904, 1000, 1064,
     1128, 1192, 1256, 1480},
    {56, 88, 144, 176, 208, 224, 256, 328, 392, 456, 504, 584, 680, 744, 840, 904, 968, 1064, 1160, 1288, 1384, 1480,
     1608, 1736, 1800, 1864, 2216}};
// 36.213 table 7.1.7.2.3-1 (format 1C), I_TBS 0..31.
constexpr int kTbs1c[32] = {40,  56,  72,  120, 136, 144, 176, 208, 224, 256,  280,  296,  328,  336,  392,  488,
                            552, 600, 632, 696, 776, 840, 904, 1000, 1064, 1128, 1224, 1288, 1384, 1480, 1608, 1736};

// TW_FUZZ_PRINT=1 in the environment prints each verdict (to see what an input does).
const bool g_print = std::getenv("TW_FUZZ_PRINT") != nullptr;

struct Reader {
  std::span<const std::uint8_t> d;
  std::size_t i = 0;
  std::uint8_t u8() { return i < d.size() ? d[i++] : (++i, 0); }
  int s8() { return static_cast<std::int8_t>(u8()); }
  int u16() {
    const int hi = u8();
    return (hi << 8) | u8();
  }
  std::int32_t s32() {
    const std::uint32_t hi = static_cast<std::uint32_t>(u16());
    return static_cast<std::int32_t>((hi << 16) | static_cast<std::uint32_t>(u16()));
  }
};

int ceil_log2(long v) {
  int b = 0;
  while ((1L << b) < v) ++b;
  return b;
}
// 36.211 table 6.2.3.2-1.
int gap1(int n) {
  if (n <= 10) return (n + 1) / 2;
  if (n == 11) return 4;
  if (n <= 19) return 8;
  if (n <= 26) return 12;
  if (n <= 44) return 18;
  if (n <= 63) return 27;
  if (n <= 79) return 32;
  return 48;
}
int gap2(int n) { return n <= 63 ? 9 : 16; }   // N_RB 50..110
// 36.211 6.2.3.2: N_VRB^DL of distributed blocks.
int n_vrb_dist(int n, int gap) {
  if (gap == 0) return 2 * std::min(gap1(n), n - gap1(n));
  return n / (2 * gap2(n)) * 2 * gap2(n);
}
// 36.212 5.3.3.1.1 / 5.3.3.1.3 / 5.3.3.1.4 payload sizes.
int size_1a(int n, bool tdd) {
  const int nb = ceil_log2(static_cast<long>(n) * (n + 1) / 2);
  const int f1a = 2 + nb + 5 + (tdd ? 4 : 3) + 1 + 2 + 2 + (tdd ? 2 : 0);
  const int f0 = 2 + nb + 5 + 1 + 2 + 3 + (tdd ? 2 : 0) + 1 + 1;
  int s = std::max(f1a, f0);
  for (int amb : {12, 14, 16, 20, 24, 26, 32, 40, 44, 56})
    if (s == amb) ++s;
  return s;
}
int step_1c(int n) { return n < 50 ? 2 : 4; }
int riv_bits_1c(int n) {
  const long np = n_vrb_dist(n, 0) / step_1c(n);
  return ceil_log2(np * (np + 1) / 2);
}
int size_1c(int n) { return (n >= 50 ? 1 : 0) + riv_bits_1c(n) + 5; }

// 36.213 table 7.1.6.1-1: RBG size P.
int rbg(int n) { return n <= 10 ? 1 : n <= 26 ? 2 : n <= 63 ? 3 : 4; }

// 36.211 6.2.3.2 as worded: Ñ_VRB VRB numbers written row by row into a matrix of 4 columns and N_row =
// ceil(Ñ_VRB / 4P) P rows whose last N_null / 2 rows of columns 2 and 4 hold nulls, read column by column
// (nulls skipped): the read position is ñ_PRB of the even slot; the odd slot adds Ñ_VRB / 2 mod Ñ_VRB; then
// n_PRB = ñ_PRB below Ñ_VRB / 2, else ñ_PRB + N_gap - Ñ_VRB / 2.
int distributed_prb(int n_vrb, int slot, int n_rb, int gap) {
  const int g = gap == 0 ? gap1(n_rb) : gap2(n_rb);
  const int nt = gap == 0 ? n_vrb_dist(n_rb, 0) : 2 * g;
  const int p = rbg(n_rb);
  const int n_row = (nt + 4 * p - 1) / (4 * p) * p;
  const int n_null = 4 * n_row - nt;
  std::vector<int> cell(static_cast<std::size_t>(4 * n_row), -1);   // row-major, -1: null
  int next = 0;
  for (int r = 0; r < n_row; ++r)
    for (int c = 0; c < 4; ++c) {
      const bool null = (c == 1 || c == 3) && r >= n_row - n_null / 2;
      if (!null) cell[static_cast<std::size_t>(4 * r + c)] = next++;
    }
  int pos = 0, tilde = -1;
  for (int c = 0; c < 4 && tilde < 0; ++c)
    for (int r = 0; r < n_row; ++r) {
      const int v = cell[static_cast<std::size_t>(4 * r + c)];
      if (v < 0) continue;
      if (v == n_vrb % nt) {
        tilde = pos;
        break;
      }
      ++pos;
    }
  if (slot == 1) tilde = (tilde + nt / 2) % nt;
  tilde += nt * (n_vrb / nt);
  return tilde < nt / 2 ? tilde : tilde + g - nt / 2;
}

// 36.213 7.1.6.3: the (start, length) whose RIV over n blocks is riv, searched over every allocation.
std::optional<std::pair<int, int>> riv_search(long riv, int n) {
  for (int len = 1; len <= n; ++len)
    for (int start = 0; start + len <= n; ++start) {
      const long v = (len - 1 <= n / 2) ? static_cast<long>(n) * (len - 1) + start
                                         : static_cast<long>(n) * (n - len + 1) + (n - 1 - start);
      if (v == riv) return std::make_pair(start, len);
    }
  return std::nullopt;
}

std::string describe(const dl::Dci& d, int n_rb) {
  return std::string(d.format == dl::DciFormat::f1a ? "1A" : "1C") + " N_RB " + std::to_string(n_rb) + " dist " +
         std::to_string(d.distributed) + " gap " + std::to_string(d.gap) + " riv " + std::to_string(d.riv) + " mcs " +
         std::to_string(d.mcs) + " tpc " + std::to_string(d.tpc);
}

// si_allocation against the rules above: an allocation exactly when one is expected.
void check_allocation(const dl::Dci& d, int n_rb) {
  const std::string what = describe(d, n_rb);
  // What the specification allows.
  bool valid = n_rb >= 6 && n_rb <= 110 && (d.gap == 0 || d.gap == 1);
  const bool distributed = d.format == dl::DciFormat::f1c || d.distributed;
  if (valid && d.gap == 1 && (!distributed || n_rb < 50)) valid = false;
  int expect_tbs = 0, expect_len = 0, expect_start = -1, first_vrb = 0;
  if (valid && d.format == dl::DciFormat::f1a) {
    const int n_max = distributed ? n_vrb_dist(n_rb, d.gap) : n_rb;
    const auto r = riv_search(d.riv, n_rb);
    if (!r || r->first + r->second > n_max || d.mcs < 0 || d.mcs > 26 || d.tpc < 0 || d.tpc > 3) {
      valid = false;
    } else {
      expect_len = r->second;
      expect_start = distributed ? -1 : r->first;
      first_vrb = r->first;
      expect_tbs = kTbs1a[d.tpc & 1][d.mcs];
    }
  } else if (valid) {
    const int np = n_vrb_dist(n_rb, d.gap) / step_1c(n_rb);
    const auto r = riv_search(d.riv, np);
    if (!r || d.mcs < 0 || d.mcs > 31) {
      valid = false;
    } else {
      expect_len = r->second * step_1c(n_rb);
      first_vrb = r->first * step_1c(n_rb);
      expect_tbs = kTbs1c[d.mcs];
    }
  }
  dl::PdschAllocation a;
  if (g_print) std::fprintf(stderr, "allocation %s: %s\n", what.c_str(), valid ? "valid" : "invalid");
  try {
    a = dl::si_allocation(d, n_rb);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(!valid, std::string("si_allocation refused a valid DCI: ") + what + ": " + e.what());
    return;
  }
  TW_FUZZ_CHECK(valid, "si_allocation accepted an invalid DCI: " + what);
  TW_FUZZ_CHECK(a.n_prb == expect_len && static_cast<int>(a.prb_slot0.size()) == expect_len &&
                    a.prb_slot1.size() == a.prb_slot0.size(),
                "PRB count " + std::to_string(a.prb_slot0.size()) + "/" + std::to_string(a.prb_slot1.size()) + " for L " +
                    std::to_string(expect_len) + ": " + what);
  for (const auto* s : {&a.prb_slot0, &a.prb_slot1}) {
    for (std::size_t i = 0; i < s->size(); ++i) {
      TW_FUZZ_CHECK((*s)[i] >= 0 && (*s)[i] < n_rb, "PRB " + std::to_string((*s)[i]) + " outside the band: " + what);
      TW_FUZZ_CHECK(i == 0 || (*s)[i] > (*s)[i - 1], "PRBs not ascending or a duplicate: " + what);
    }
  }
  if (expect_start >= 0)
    for (int i = 0; i < expect_len; ++i)
      TW_FUZZ_CHECK(a.prb_slot0[static_cast<std::size_t>(i)] == expect_start + i && a.prb_slot1[static_cast<std::size_t>(i)] == expect_start + i,
                    "localized blocks are not the RIV's: " + what);
  if (distributed) {
    std::vector<int> s0, s1;
    for (int v = first_vrb; v < first_vrb + expect_len; ++v) {
      s0.push_back(distributed_prb(v, 0, n_rb, d.gap));
      s1.push_back(distributed_prb(v, 1, n_rb, d.gap));
    }
    std::sort(s0.begin(), s0.end());
    std::sort(s1.begin(), s1.end());
    TW_FUZZ_CHECK(a.prb_slot0 == s0 && a.prb_slot1 == s1, "distributed blocks are not the interleaver's: " + what);
  }
  TW_FUZZ_CHECK(a.tbs == expect_tbs && a.i_tbs == d.mcs && a.qm == 2,
                "TBS " + std::to_string(a.tbs) + " expected " + std::to_string(expect_tbs) + ": " + what);
}

// parse_dci of attacker bits, checked field by field against the payload.
void parse_and_allocate(Reader& r) {
  const std::uint8_t mode = r.u8();
  const std::uint8_t nb_code = r.u8();
  const std::uint8_t size_code = r.u8();
  const dl::DciFormat fmt = (mode & 1) ? dl::DciFormat::f1c : dl::DciFormat::f1a;
  const bool tdd = (mode & 2) != 0;
  const std::uint16_t rnti = std::array<std::uint16_t, 4>{dl::kSiRnti, dl::kPRnti, static_cast<std::uint16_t>(1 + size_code % 60), 0x1234}[(mode >> 2) & 3];
  const bool raw_bits = (mode & 16) != 0;
  const int n_rb = (nb_code & 0x80) ? (nb_code & 0x7f) - 5 : std::array{6, 15, 25, 50, 75, 100}[nb_code % 6];
  const bool rb_ok = n_rb >= 6 && n_rb <= 110;
  const int size_spec = rb_ok ? (fmt == dl::DciFormat::f1a ? size_1a(n_rb, tdd) : size_1c(n_rb)) : -1;
  const int size = (mode & 32) ? size_code : (rb_ok ? size_spec : size_code % 40);
  std::vector<std::uint8_t> bits(static_cast<std::size_t>(size));
  if (raw_bits) {
    for (auto& b : bits) b = r.u8();
  } else {
    const std::array<std::uint8_t, 4> o{r.u8(), r.u8(), r.u8(), r.u8()};
    for (int i = 0; i < size; ++i) bits[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((o[static_cast<std::size_t>((i / 8) % 4)] >> (7 - i % 8)) & 1);
  }
  const bool bits_ok = std::all_of(bits.begin(), bits.end(), [](std::uint8_t b) { return b <= 1; });
  const bool valid = rb_ok && size == size_spec && bits_ok;
  if (g_print) std::fprintf(stderr, "payload N_RB %d size %d (format %d): %s\n", n_rb, size, size_spec, valid ? "valid" : "invalid");
  std::optional<dl::Dci> d;
  try {
    d = dl::parse_dci(fmt, bits, n_rb, tdd, rnti);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(!valid, std::string("parse_dci refused a valid payload: ") + e.what());
    return;
  }
  TW_FUZZ_CHECK(valid, "parse_dci accepted N_RB " + std::to_string(n_rb) + " size " + std::to_string(size) + " (format: " +
                           std::to_string(size_spec) + ")");
  // The fields, read here from the payload (36.212 5.3.3.1.3 / 5.3.3.1.4).
  std::size_t pos = 0;
  auto take = [&](int n) {
    int v = 0;
    for (int i = 0; i < n; ++i) v = (v << 1) | bits[pos++];
    return v;
  };
  if (fmt == dl::DciFormat::f1a) {
    if (bits[0] == 0) {
      TW_FUZZ_CHECK(!d.has_value(), "a format 0 payload (flag 0) read as 1A");
      return;
    }
    TW_FUZZ_CHECK(d.has_value(), "a format 1A payload (flag 1) refused");
    take(1);
    const bool dist = take(1) == 1;
    const bool common = rnti == dl::kSiRnti || rnti == dl::kPRnti || rnti <= 60;
    const int nb = ceil_log2(static_cast<long>(n_rb) * (n_rb + 1) / 2);
    int gap = 0, riv;
    if (dist && n_rb >= 50 && !common) {
      gap = take(1);
      riv = take(nb - 1);
    } else {
      riv = take(nb);
    }
    const int mcs = take(5), harq = take(tdd ? 4 : 3), ndi = take(1), rv = take(2), tpc = take(2);
    if (dist && n_rb >= 50 && common) gap = ndi;   // the NDI bit holds N_gap for these RNTIs
    TW_FUZZ_CHECK(d->distributed == dist && d->gap == gap && d->riv == riv && d->mcs == mcs && d->harq_process == harq &&
                      d->ndi == (ndi == 1) && d->rv == rv && d->tpc == tpc,
                  "1A fields differ from the payload: " + describe(*d, n_rb));
  } else {
    TW_FUZZ_CHECK(d.has_value(), "a format 1C payload refused");
    const int gap = n_rb >= 50 ? take(1) : 0;
    const int riv = take(riv_bits_1c(n_rb));
    const int mcs = take(5);
    TW_FUZZ_CHECK(d->distributed && d->gap == gap && d->riv == riv && d->mcs == mcs && d->rv == -1,
                  "1C fields differ from the payload: " + describe(*d, n_rb));
  }
  TW_FUZZ_CHECK(d->format == fmt && d->rnti == rnti && d->bits == bits, "format, RNTI or bits not kept");
  check_allocation(*d, n_rb);
}

// A Dci built field by field (any values), as a caller could pass it.
void raw_allocation(Reader& r) {
  const std::uint8_t flags = r.u8();
  dl::Dci d;
  d.format = (flags & 1) ? dl::DciFormat::f1c : dl::DciFormat::f1a;
  d.distributed = (flags & 2) != 0;
  d.gap = (flags & 4) ? r.s8() : (flags >> 3) & 1;
  d.riv = (flags & 16) ? r.s32() : r.u16();
  d.mcs = r.s8();
  d.tpc = (flags & 32) ? r.s8() : r.u8() & 3;
  const int n_rb = (flags & 64) ? r.s8() : std::array{6, 15, 25, 50, 75, 100}[r.u8() % 6];
  check_allocation(d, n_rb);
}

// 36.211 table 4.2-2.
constexpr const char* kTdd[7] = {"DSUUUDSUUU", "DSUUDDSUUD", "DSUDDDSUDD", "DSUUUDDDDD", "DSUUDDDDDD", "DSUDDDDDDD", "DSUUUDSUUD"};
constexpr int kWindows[] = {1, 2, 5, 10, 15, 20, 40};
constexpr int kPeriods[] = {8, 16, 32, 64, 128, 256, 512};

// An attacker's schedule (SIB1 fields) and the times asked about it.
void schedule(Reader& r) {
  dl::SiSchedule s;
  const std::uint8_t w = r.u8();
  s.window_ms = (w & 0x80) ? static_cast<std::int8_t>(w << 1) / 2 : kWindows[w % 7];
  const int count = r.u8() % 40;
  for (int n = 0; n < count; ++n) {
    const std::uint8_t t = r.u8();
    s.periodicity_rf.push_back((t & 0x80) ? (t & 0x7f) * 5 - 10 : kPeriods[t % 7]);
  }
  const std::uint8_t f = r.u8();
  s.tdd = (f & 1) != 0;
  s.tdd_config = static_cast<int>((f >> 1) % 9) - 1;
  s.mbsfn_subframe_mask = (f & 0x40) ? r.s8() * 64 : r.u16() & 0x3ff;
  auto in = [](int v, const auto& set) { return std::find(std::begin(set), std::end(set), v) != std::end(set); };
  bool valid = in(s.window_ms, kWindows) && count >= 1 && count <= 32 &&
               std::all_of(s.periodicity_rf.begin(), s.periodicity_rf.end(), [&](int t) { return in(t, kPeriods); }) &&
               (!s.tdd || (s.tdd_config >= 0 && s.tdd_config <= 6)) && s.mbsfn_subframe_mask >= 0 && s.mbsfn_subframe_mask <= 0x3ff;
  if (valid) valid = count * s.window_ms <= 10 * *std::min_element(s.periodicity_rf.begin(), s.periodicity_rf.end());
  if (g_print) std::fprintf(stderr, "schedule of %d messages, window %d: %s\n", count, s.window_ms, valid ? "valid" : "invalid");
  try {
    dl::check_si_schedule(s);
    TW_FUZZ_CHECK(valid, "check_si_schedule accepted an invalid schedule");
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(!valid, std::string("check_si_schedule refused a valid schedule: ") + e.what());
  }
  for (int q = 0; q < 8 && r.i < r.d.size(); ++q) {
    const int sfn = r.u16() % 1040 - 8;
    const int sf = r.u8() % 12 - 1;
    const bool time_ok = sfn >= 0 && sfn <= 1023 && sf >= 0 && sf <= 9;
    std::optional<dl::SiOpportunity> o;
    try {
      o = dl::si_message_at(s, sfn, sf);
    } catch (const tw::InputError& e) {
      TW_FUZZ_CHECK(!(valid && time_ok), std::string("si_message_at refused a valid query: ") + e.what());
      continue;
    }
    TW_FUZZ_CHECK(valid && time_ok, "si_message_at answered an invalid query");
    // 36.331 5.2.3: window n starts at subframe x mod 10 of the frame with SFN mod T = floor(x / 10), x = (n-1) w.
    std::optional<dl::SiOpportunity> e;
    const bool excluded = (sf == 5 && sfn % 2 == 0) || ((s.mbsfn_subframe_mask >> sf) & 1) || (s.tdd && kTdd[s.tdd_config][sf] == 'U');
    for (int n = 1; n <= count && !excluded && !e; ++n) {
      const int t = s.periodicity_rf[static_cast<std::size_t>(n - 1)];
      const int i = (sfn % t) * 10 + sf - (n - 1) * s.window_ms;
      if (i >= 0 && i < s.window_ms) e = dl::SiOpportunity{n, i, std::array{0, 2, 3, 1}[i % 4]};   // 36.321 5.3.1
    }
    TW_FUZZ_CHECK(o.has_value() == e.has_value() && (!o || (o->n == e->n && o->i == e->i && o->rv == e->rv)),
                  "si_message_at(" + std::to_string(sfn) + ", " + std::to_string(sf) + ") disagrees with the window rule");
    const int n = 1 + q % std::max(count, 1);
    try {
      const auto st = dl::si_window_start(s, n, sfn);
      const int t = s.periodicity_rf[static_cast<std::size_t>(n - 1)];
      const int x = (n - 1) * s.window_ms;
      TW_FUZZ_CHECK(st.sfn >= 0 && st.sfn <= 1023 && st.sfn % t == x / 10 && st.subframe == x % 10 &&
                        (st.sfn - sfn + 1024) % 1024 < t,
                    "si_window_start of message " + std::to_string(n) + " from " + std::to_string(sfn));
    } catch (const tw::InputError& ex) {
      TW_FUZZ_CHECK(false, std::string("si_window_start refused a valid query: ") + ex.what());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;
  Reader r{std::span<const std::uint8_t>(data, size)};
  parse_and_allocate(r);
  // The parts after the payload start at fixed offsets (raw payloads are longer) so that mutating one
  // part leaves the others in place.
  r.i = std::max<std::size_t>(r.i, 7);
  raw_allocation(r);
  r.i = std::max<std::size_t>(r.i, 7 + 9);
  schedule(r);
  return 0;
}
