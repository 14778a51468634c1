// The System Information receive chain after the OFDM demodulator (dsp/lte/pcfich, pdcch, pdsch_allocation,
// pdsch, si_combiner, dlsch_coding) on a subframe a rogue eNodeB chose: every resource element and channel
// estimate, the cell's parameters (in and outside the specification), NaN/Inf/huge values. Octet 0 bit 0
// chooses the mode:
//   grid (0): octets 1-13 are the header below, the rest the body the resource elements (and, by mode, the
//     channel estimates and extra soft values) are read from, cyclically:
//       1 N_RB (bit 7 clear: 6 15 25 50 75 100 by octet mod 6; set: (octet & 127) - 5)   2-3 PCI (mod 512)
//       4 bit 0 extended CP, 1 TDD, 2-4 TDD configuration (7: unknown), 5-6 ports 1 2 4 3, 7 PHICH extended
//       5 bits 0-3 special subframe configuration (15: unknown), 4-5 phich-Resource, 6 n_symbols from
//         octet 6's high nibble (any, not the CP's), 7 no channel estimate of the last port
//       6 bits 0-3 subframe + ... (value - 1: -1..14)   7 bits 0-1 CFI (0: the PCFICH's), 2 CFI 4, 4-6 RV
//         (0-3, 4+: the DCI's)   8 noise variance (kNoise)   9 bits 0-2 resource element values, 3-5
//         channel estimates (see value())   10 amplitude 2^(s8 / 4)   11 bits 0-4 extra RNTIs, 5 no SI-RNTI
//       12 bits 0-1 extra transmissions (attacker soft values) for the combiner, 2-4 their value mode
//       13 the body offset of the channel estimates (x 256)
//     then PcfichDecoder -> PdcchSearch (SI-RNTI) -> si_allocation -> PdschDemodulator -> SiCombiner and
//     DlschDecoder.
//   soft (1): octets 1-4 choose a TBS (see soft()), 5 the number of transmissions (bits 0-2) and the
//     modulation order of the direct DlschDecoder path (bits 3-4: 2 4 6, other); 3 octets per transmission
//     (RV, G, value mode), soft values from the body: SiCombiner and DlschDecoder directly.
// Invariants: only tw::InputError; CFI 0..3 with a metric at the threshold; every DCI of a requested RNTI at
// an aggregation 4/8 candidate within N_CCE, its bits the format's size and its fields what parse_dci reads
// from them, once each, with its evidence; the soft values are 2 per PDSCH RE; the combiner refuses
// exactly the non-finite, empty or bad-RV transmissions; a decoded transport block has TBS / 8 octets and
// its re-encoding (dlsch_encode) agrees with the soft values it came from (positive correlation); nothing
// is found or decoded from an all-zero or all-NaN subframe or soft values.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/dci.hpp"
#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/dl_subframe.hpp"
#include "dsp/lte/dlsch_coding.hpp"
#include "dsp/lte/pcfich.hpp"
#include "dsp/lte/pdcch.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/si_combiner.hpp"
#include "dsp/lte/tbs_table.hpp"
#include "src/core/error.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace dl = tw::dsp::lte;
using cf32 = std::complex<float>;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kNoise[16] = {1.0f, 0.5f, 0.1f, 0.01f, 1e-3f, 1e-6f, 0.0f, -1.0f, kNan, kInf, 1e-30f, 1e-45f, 1e30f, 2.0f, 10.0f, 3.4e38f};
constexpr float kSpecial[16] = {0.0f, 1.0f, -1.0f, 0.5f, 1e-38f, 1e-45f, 1e30f, 3.4e38f, -3.4e38f, kInf, -kInf, kNan, 1e-10f, 100.0f, -100.0f, 7.0f};

// The body, read cyclically from an offset.
struct Body {
  std::span<const std::uint8_t> d;
  std::uint8_t at(std::size_t i) const { return d.empty() ? 0 : d[i % d.size()]; }
};

// Value mode (3 bits): 0 int8 / 64 x amp, 1 special values, 2 raw float32, 3 zero, 4 NaN, 5 +Inf,
// 6 int8 x 1e37, 7 int8 / 64 x amp without repetition (zero after the body's end).
float value(int mode, const Body& b, std::size_t i, float amp) {
  switch (mode) {
    case 0: return static_cast<std::int8_t>(b.at(i)) / 64.0f * amp;
    case 1: return kSpecial[b.at(i) & 15];
    case 2: {
      const std::uint8_t o[4] = {b.at(4 * i), b.at(4 * i + 1), b.at(4 * i + 2), b.at(4 * i + 3)};
      float f;
      std::memcpy(&f, o, 4);
      return f;
    }
    case 3: return 0.0f;
    case 4: return kNan;
    case 5: return kInf;
    case 6: return static_cast<std::int8_t>(b.at(i)) * 1e37f;
    default: return i < b.d.size() ? static_cast<std::int8_t>(b.d[i]) / 64.0f * amp : 0.0f;
  }
}

bool all_zero_or_nan(int mode, const Body& b) {
  if (mode == 3 || mode == 4) return true;
  if (mode == 0 || mode == 7) return std::all_of(b.d.begin(), b.d.end(), [](std::uint8_t x) { return x == 0; });
  return false;
}

std::vector<std::uint8_t> octets_to_bits(const std::vector<std::uint8_t>& o) {
  std::vector<std::uint8_t> bits(8 * o.size());
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<std::uint8_t>((o[i / 8] >> (7 - i % 8)) & 1);
  return bits;
}

// sum llr (1 - 2 e) over the re-encoding e of `bits`: positive when the block agrees with the soft values.
// A NaN soft value counts as an erasure (0), as the decoder takes it. Infinite or huge values (whose sums
// overflow a float) make the sum meaningless: NaN is returned and the caller does not judge.
double agreement(const std::vector<std::uint8_t>& bits, std::span<const float> llr, int qm, int rv) {
  const auto e = dl::dlsch_encode(bits, static_cast<int>(llr.size()), qm, rv);
  TW_FUZZ_CHECK(e.size() == llr.size(), "dlsch_encode gave " + std::to_string(e.size()) + " bits for G " + std::to_string(llr.size()));
  double s = 0.0;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (std::isnan(llr[i])) continue;
    if (!(std::fabs(llr[i]) < 1e30f)) return kNan;
    s += e[i] ? -static_cast<double>(llr[i]) : static_cast<double>(llr[i]);
  }
  return s;
}

// TW_FUZZ_PRINT=1 in the environment prints what each stage found (to see what an input does).
const bool g_print = std::getenv("TW_FUZZ_PRINT") != nullptr;

struct Tx {
  std::vector<float> llr;
  int rv;
};

// SiCombiner over the transmissions: refuses exactly the bad ones; a decoded block is checked.
void combine(int tbs, const std::vector<Tx>& txs, bool nothing) {
  std::optional<dl::SiCombiner> comb;
  try {
    comb.emplace(tbs);
  } catch (const tw::InputError&) {
    TW_FUZZ_CHECK(tbs < 16 || tbs % 8 != 0 || tbs > 75376, "SiCombiner refused TBS " + std::to_string(tbs));
    return;
  }
  std::vector<const Tx*> kept;
  for (const auto& t : txs) {
    const bool ok = t.rv >= 0 && t.rv <= 3 && !t.llr.empty() && static_cast<int>(kept.size()) < dl::SiCombiner::kMaxTransmissions &&
                    std::all_of(t.llr.begin(), t.llr.end(), [](float v) { return std::isfinite(v); });
    try {
      comb->add(t.llr, t.rv);
      TW_FUZZ_CHECK(ok, "SiCombiner took a transmission with rv " + std::to_string(t.rv) + ", " + std::to_string(t.llr.size()) +
                            " soft values (a non-finite one, or empty)");
      kept.push_back(&t);
    } catch (const tw::InputError& e) {
      if (g_print) std::fprintf(stderr, "SiCombiner add: %s\n", e.what());
      TW_FUZZ_CHECK(!ok, "SiCombiner refused a valid transmission");
    }
  }
  std::optional<dl::SiDecodeResult> r;
  try {
    r = comb->decode();
  } catch (const tw::InputError& e) {
    // G must suit the code blocks (turbo_rate_match_e): an attacker's G may not.
    if (g_print) std::fprintf(stderr, "SiCombiner TBS %d: %s\n", tbs, e.what());
    return;
  }
  if (g_print) {
    std::string hex;
    for (std::uint8_t o : r ? r->octets : std::vector<std::uint8_t>{}) hex += "0123456789abcdef"[o >> 4], hex += "0123456789abcdef"[o & 15];
    std::fprintf(stderr, "SiCombiner TBS %d: %s %s\n", tbs, r ? ("decoded from " + std::to_string(r->transmissions) + " transmission(s)").c_str() : "nothing", hex.c_str());
  }
  if (!r) return;
  TW_FUZZ_CHECK(!nothing, "SiCombiner decoded a block from all-zero soft values");
  TW_FUZZ_CHECK(static_cast<int>(r->octets.size()) * 8 == tbs, "decoded " + std::to_string(r->octets.size()) + " octets, TBS " + std::to_string(tbs));
  const auto bits = octets_to_bits(r->octets);
  double s = 0.0;
  int used = 0;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const bool in = r->first >= 0 ? static_cast<int>(i) == r->first : static_cast<int>(i) != r->left_out;
    if (!in) continue;
    s += agreement(bits, kept[i]->llr, 2, kept[i]->rv);
    ++used;
  }
  TW_FUZZ_CHECK(used == r->transmissions, "transmissions " + std::to_string(r->transmissions) + ", used " + std::to_string(used));
  TW_FUZZ_CHECK(std::isnan(s) || s > 0.0, "a decoded block disagrees with its soft values (correlation " + std::to_string(s) + ")");
}

// DlschDecoder directly (no finiteness check before it): every transmission added, then decoded.
void decode_direct(int tbs, const std::vector<Tx>& txs, int qm, bool nothing) {
  std::optional<dl::DlschDecoder> dec;
  try {
    dec.emplace(tbs);
  } catch (const tw::InputError&) {
    return;
  }
  TW_FUZZ_CHECK(dec->tbs_bits() == tbs, "tbs_bits");
  std::vector<const Tx*> kept;
  for (const auto& t : txs) {
    try {
      dec->add(t.llr, qm, t.rv);
      kept.push_back(&t);
    } catch (const tw::InputError&) {
    }
  }
  std::optional<std::vector<std::uint8_t>> bits;
  try {
    bits = dec->decode();
  } catch (const tw::InputError&) {
    return;
  }
  if (g_print) std::fprintf(stderr, "DlschDecoder TBS %d qm %d: %s\n", tbs, qm, bits ? "decoded" : "nothing");
  if (!bits) return;
  TW_FUZZ_CHECK(!nothing, "DlschDecoder decoded a block from all-zero or all-NaN soft values");
  TW_FUZZ_CHECK(static_cast<int>(bits->size()) == tbs, "DlschDecoder gave " + std::to_string(bits->size()) + " bits for TBS " + std::to_string(tbs));
  TW_FUZZ_CHECK(std::all_of(bits->begin(), bits->end(), [](std::uint8_t b) { return b <= 1; }), "a decoded bit is not 0/1");
  double s = 0.0;
  for (const Tx* t : kept) s += agreement(*bits, t->llr, qm, t->rv);
  TW_FUZZ_CHECK(std::isnan(s) || s > 0.0, "DlschDecoder: a decoded block disagrees with its soft values (correlation " + std::to_string(s) + ")");
}

struct Reader {
  std::span<const std::uint8_t> d;
  std::size_t i = 0;
  std::uint8_t u8() { return i < d.size() ? d[i++] : (++i, 0); }
  int u16() {
    const int hi = u8();
    return (hi << 8) | u8();
  }
};

std::vector<float> soft_values(int mode, const Body& b, std::size_t offset, std::size_t g) {
  std::vector<float> v(g);
  for (std::size_t i = 0; i < g; ++i) v[i] = value(mode, b, offset + i, 64.0f);
  return v;
}

// Soft mode: octet 1 bit 7: TBS = octets 2-3 (any); bit 6: format 1C table (octet 2 mod 32); else 1A
// (I_TBS octet 2 mod 27, N_PRB^1A 2 or 3 by octet 3). Octet 4: body offset x 16.
void soft(Reader& r, const Body& body) {
  const std::uint8_t sel = r.u8(), a = r.u8(), b = r.u8(), off = r.u8();
  int tbs;
  if (sel & 0x80) tbs = (a << 8) | b;
  else if (sel & 0x40) tbs = dl::tbs_format_1c(a % 32);
  else tbs = dl::transport_block_size(a % 27, 2 + (b & 1));
  if (tbs > 6144) return;   // more code blocks than System Information needs: slow, and no other code path
  const std::uint8_t n = r.u8();
  const int qm = std::array{2, 4, 6, 3}[(n >> 3) & 3];
  std::vector<Tx> txs;
  bool nothing = true;
  std::size_t pos = static_cast<std::size_t>(off) * 16;
  for (int t = 0; t < (n & 7) % 6; ++t) {
    const int rv = r.u8() % 6 - 1;
    const std::size_t g = static_cast<std::size_t>(r.u16() & 0x3fff);
    const int mode = r.u8() & 7;
    txs.push_back({soft_values(mode, body, pos, g), rv});
    pos += g;
    nothing = nothing && all_zero_or_nan(mode, body);
  }
  combine(tbs, txs, nothing);
  decode_direct(tbs, txs, qm, nothing);
}

void check_dci(const dl::Dci& d, const dl::CellParams& cell, int cfi, std::span<const std::uint16_t> rntis, double evidence) {
  const std::string what = std::string(d.format == dl::DciFormat::f1a ? "1A" : "1C") + " RNTI " + std::to_string(d.rnti) +
                           " L " + std::to_string(d.aggregation) + " CCE " + std::to_string(d.first_cce);
  TW_FUZZ_CHECK(std::find(rntis.begin(), rntis.end(), d.rnti) != rntis.end(), "a DCI of an RNTI not asked for: " + what);
  TW_FUZZ_CHECK(std::isfinite(evidence) && evidence >= dl::PdcchSearch::kMinEvidence, "evidence " + std::to_string(evidence) + ": " + what);
  const int n_cce = dl::ControlRegs(cell, dl::control_symbols(cfi, cell.n_prb)).n_cce();
  TW_FUZZ_CHECK((d.aggregation == 4 || d.aggregation == 8) && d.first_cce >= 0 && d.first_cce % d.aggregation == 0 &&
                    d.first_cce + d.aggregation <= n_cce,
                "candidate outside the common search space of " + std::to_string(n_cce) + " CCEs: " + what);
  TW_FUZZ_CHECK(static_cast<int>(d.bits.size()) == dl::dci_bits(d.format, cell.n_prb, cell.tdd) &&
                    std::all_of(d.bits.begin(), d.bits.end(), [](std::uint8_t b) { return b <= 1; }),
                "payload size or bits: " + what);
  const auto again = dl::parse_dci(d.format, d.bits, cell.n_prb, cell.tdd, d.rnti);
  TW_FUZZ_CHECK(again && again->distributed == d.distributed && again->gap == d.gap && again->riv == d.riv &&
                    again->mcs == d.mcs && again->harq_process == d.harq_process && again->ndi == d.ndi && again->rv == d.rv &&
                    again->tpc == d.tpc,
                "fields are not the payload's: " + what);
}

void grid(Reader& r, const Body& body) {
  const std::uint8_t nb = r.u8();
  const int pci = r.u16() % 512;
  const std::uint8_t f = r.u8(), g = r.u8(), s = r.u8(), c = r.u8(), noise = r.u8(), vm = r.u8();
  const int amp_code = static_cast<std::int8_t>(r.u8());
  const std::uint8_t rn = r.u8(), extra = r.u8(), h_off = r.u8();
  dl::CellParams cell;
  cell.pci = pci;
  cell.n_prb = (nb & 0x80) ? (nb & 0x7f) - 5 : std::array{6, 15, 25, 50, 75, 100}[nb % 6];
  cell.normal_cp = (f & 1) == 0;
  cell.tdd = (f & 2) != 0;
  cell.tdd_config = ((f >> 2) & 7) == 7 ? -1 : (f >> 2) & 7;
  cell.ports = std::array{1, 2, 4, 3}[(f >> 5) & 3];
  cell.phich_extended = (f & 0x80) != 0;
  cell.special_subframe_config = (g & 15) == 15 ? -1 : g & 15;
  cell.phich_resource = std::array{"1/6", "1/2", "1", "2"}[(g >> 4) & 3];
  dl::DlSubframe sf;
  sf.sfn = 0;
  sf.subframe = (s & 15) - 1;
  sf.n_prb = cell.n_prb;
  sf.n_symbols = (g & 0x40) ? s >> 4 : (cell.normal_cp ? 14 : 12);
  sf.noise_var = kNoise[noise & 15];
  const float amp = std::ldexp(1.0f, amp_code / 4);
  const int re_mode = vm & 7, h_mode = (vm >> 3) & 7;
  const int grid_rb = std::clamp(cell.n_prb, 0, 110);
  const std::size_t n_re = static_cast<std::size_t>(sf.n_symbols) * 12u * static_cast<std::size_t>(grid_rb);
  sf.re.resize(n_re);
  for (std::size_t i = 0; i < n_re; ++i) sf.re[i] = cf32(value(re_mode, body, 2 * i, amp), value(re_mode, body, 2 * i + 1, amp));
  const int h_ports = std::clamp(cell.ports, 0, 4) - ((g & 0x80) ? 1 : 0);
  const std::size_t h0 = static_cast<std::size_t>(h_off) * 256;
  for (int p = 0; p < h_ports; ++p) {
    auto& h = sf.h[static_cast<std::size_t>(p)];
    h.resize(n_re);
    for (std::size_t i = 0; i < n_re; ++i) {
      const std::size_t j = h0 + 2 * (i + n_re * static_cast<std::size_t>(p));
      switch (h_mode) {
        case 0: h[i] = cf32(1.0f, 0.0f); break;
        case 1: h[i] = cf32(value(0, body, j, 1.0f), value(0, body, j + 1, 1.0f)); break;
        case 2: h[i] = cf32(0.0f, 0.0f); break;
        case 3: h[i] = cf32(kNan, kNan); break;
        case 4: h[i] = cf32(amp, 0.0f); break;
        case 5: h[i] = cf32(kInf, 0.0f); break;
        case 6: h[i] = cf32(value(re_mode, body, j, amp), value(re_mode, body, j + 1, amp)); break;
        default: h[i] = p == 0 ? cf32(value(0, body, j, 1.0f), value(0, body, j + 1, 1.0f)) : cf32(1.0f, 0.0f); break;
      }
    }
  }
  // Nothing can be found in a subframe whose resource elements (or channel estimates) are all zero or NaN.
  const bool nothing = all_zero_or_nan(re_mode, body) || h_mode == 2 || h_mode == 3 || (h_mode == 1 && all_zero_or_nan(0, body));

  int cfi_pcfich = 0;
  try {
    dl::PcfichDecoder pcfich(cell);
    float metric = -1.0f;
    cfi_pcfich = pcfich.execute(sf, &metric);
    TW_FUZZ_CHECK(cfi_pcfich >= 0 && cfi_pcfich <= 3, "CFI " + std::to_string(cfi_pcfich));
    TW_FUZZ_CHECK(std::isfinite(metric) && (cfi_pcfich == 0 || metric >= dl::PcfichDecoder::kMinMetric),
                  "CFI " + std::to_string(cfi_pcfich) + " with metric " + std::to_string(metric));
    TW_FUZZ_CHECK(!(nothing && cfi_pcfich != 0), "a CFI from an all-zero or all-NaN subframe");
    if (g_print) std::fprintf(stderr, "PCFICH: CFI %d metric %.2f\n", cfi_pcfich, static_cast<double>(metric));
  } catch (const tw::InputError&) {
  }
  const int cfi = (c & 4) ? 4 : (c & 3) ? (c & 3) : cfi_pcfich;
  if (cfi == 0) return;
  std::vector<std::uint16_t> rntis;
  if (!(rn & 0x20)) rntis.push_back(dl::kSiRnti);
  for (int i = 0; i < (rn & 31) % 18; ++i) rntis.push_back(static_cast<std::uint16_t>(i == 0 ? dl::kPRnti : i));
  std::vector<dl::Dci> dcis;
  try {
    dl::PdcchSearch search(cell);
    dcis = search.execute(sf, cfi, rntis);
    TW_FUZZ_CHECK(search.evidence().size() == dcis.size(), "evidence per DCI");
    TW_FUZZ_CHECK(search.rejected() >= 0, "rejected");
    for (std::size_t i = 0; i < dcis.size(); ++i) {
      check_dci(dcis[i], cell, cfi, rntis, search.evidence()[i]);
      for (std::size_t j = 0; j < i; ++j)
        TW_FUZZ_CHECK(!(dcis[j].format == dcis[i].format && dcis[j].rnti == dcis[i].rnti && dcis[j].bits == dcis[i].bits),
                      "a DCI reported twice");
    }
    TW_FUZZ_CHECK(!(nothing && !dcis.empty()), "a DCI from an all-zero or all-NaN subframe");
    if (g_print)
      for (const auto& d : dcis)
        std::fprintf(stderr, "DCI %s RNTI %d L %d CCE %d riv %d mcs %d rv %d tpc %d\n", d.format == dl::DciFormat::f1a ? "1A" : "1C", d.rnti,
                     d.aggregation, d.first_cce, d.riv, d.mcs, d.rv, d.tpc);
  } catch (const tw::InputError& e) {
    if (g_print) std::fprintf(stderr, "PDCCH: %s\n", e.what());
  }
  if (dcis.size() > 4) dcis.resize(4);
  std::size_t soft_pos = 0;
  for (const auto& d : dcis) {
    dl::PdschAllocation alloc;
    try {
      alloc = dl::si_allocation(d, cell.n_prb);
    } catch (const tw::InputError&) {
      continue;
    }
    std::vector<float> llr;
    try {
      dl::PdschDemodulator dem(cell);
      llr = dem.execute(sf, cfi, alloc, d.rnti);
    } catch (const tw::InputError&) {
      continue;
    }
    const auto res = dl::pdsch_resource_elements(cell, sf.subframe, cfi, alloc);
    TW_FUZZ_CHECK(llr.size() == 2 * res.size(), "soft values " + std::to_string(llr.size()) + " for " + std::to_string(res.size()) + " REs");
    const int rv_code = (c >> 4) & 7;
    std::vector<Tx> txs{{llr, rv_code < 4 ? rv_code : std::max(d.rv, 0)}};
    // Attacker soft values combined with the demodulated ones (another "transmission" of the block).
    for (int t = 0; t < (extra & 3); ++t) {
      txs.push_back({soft_values((extra >> 2) & 7, body, soft_pos, llr.size()), t});
      soft_pos += llr.size();
    }
    combine(alloc.tbs, txs, nothing && ((extra & 3) == 0 || all_zero_or_nan((extra >> 2) & 7, body)));
    decode_direct(alloc.tbs, txs, 2, nothing && ((extra & 3) == 0 || all_zero_or_nan((extra >> 2) & 7, body)));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 200000) return -1;
  const bool soft_mode = data[0] & 1;
  const std::size_t header = soft_mode ? 6 + 3 * 5 : 14;
  Reader r{std::span<const std::uint8_t>(data, std::min(size, header))};
  r.i = 1;
  const Body body{size > header ? std::span<const std::uint8_t>(data + header, size - header) : std::span<const std::uint8_t>{}};
  if (soft_mode)
    soft(r, body);
  else
    grid(r, body);
  return 0;
}
