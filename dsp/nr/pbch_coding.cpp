#include "dsp/nr/pbch_coding.hpp"

#include <cmath>
#include <string>

#include "dsp/gold_sequence.hpp"
#include "dsp/nr/polar_code.hpp"
#include "dsp/nr/polar_rate_match.hpp"
#include "src/core/error.hpp"

namespace tw::nr {

namespace {

// TS 38.212 table 7.1.1-1: PBCH payload interleaver pattern G(j).
constexpr std::array<uint8_t, 32> kG = {16, 23, 18, 17, 8,  30, 10, 6,  24, 7,  0,  5,  3,  2,  1,  4,
                                        9,  11, 12, 13, 14, 15, 19, 20, 21, 22, 25, 26, 27, 28, 29, 31};

// 7.1.1: position in a of each ā_i. j_SFN = 0 (ā_1..ā_6: the 6 SFN MSBs of the MIB, then ā_A..ā_{A+3}),
// j_HRF = 10 (ā_{A+4}), j_SSB = 11 (ā_{A+5}..ā_{A+7}), j_other = 14 (ā_0 and ā_7..ā_23).
constexpr std::array<uint8_t, 32> make_position() {
  std::array<uint8_t, 32> pos{};
  int j_sfn = 0, j_ssb = 11, j_other = 14;
  for (int i = 0; i < 32; ++i) {
    const bool sfn_bit = (i >= 1 && i <= 6) || (i >= 24 && i <= 27);
    if (sfn_bit) pos[static_cast<std::size_t>(i)] = kG[static_cast<std::size_t>(j_sfn++)];
    else if (i == 28) pos[static_cast<std::size_t>(i)] = kG[10];
    else if (i >= 29) pos[static_cast<std::size_t>(i)] = kG[static_cast<std::size_t>(j_ssb++)];
    else pos[static_cast<std::size_t>(i)] = kG[static_cast<std::size_t>(j_other++)];
  }
  return pos;
}
constexpr std::array<uint8_t, 32> kPosition = make_position();

// 7.1.2: bits of a not scrambled: the SFN's 3rd and 2nd LSBs (ā_25, ā_26), the half-frame bit (ā_28) and,
// for L_max = 64, the SS/PBCH block index bits (ā_29..ā_31).
bool unscrambled(int a_pos, int l_max) {
  for (int i : {25, 26, 28}) {
    if (kPosition[static_cast<std::size_t>(i)] == a_pos) return true;
  }
  if (l_max == 64) {
    for (int i : {29, 30, 31}) {
      if (kPosition[static_cast<std::size_t>(i)] == a_pos) return true;
    }
  }
  return false;
}

void check_common(uint16_t pci, int l_max) {
  if (pci > 1007) throw InputError("PBCH: PCI " + std::to_string(pci) + " outside 0..1007");
  if (l_max != 4 && l_max != 8 && l_max != 64) throw InputError("PBCH: L_max " + std::to_string(l_max) + " is not 4, 8 or 64");
}

// 7.1.2: a' = a + s, s_i = c(j + v M) on the scrambled positions (j counting them), c_init = N_ID^cell,
// M = A - 3 (L_max 4, 8) or A - 6 (64), v = 2 (SFN 3rd LSB) + (SFN 2nd LSB). Its own inverse.
void payload_scramble(std::array<uint8_t, 32>& a, uint16_t pci, int l_max, int v) {
  const int M = kPbchPayloadBits - (l_max == 64 ? 6 : 3);
  std::vector<uint8_t> c(static_cast<std::size_t>(4 * M));
  tw::dsp::gold_sequence(pci, c);
  int j = 0;
  for (int i = 0; i < kPbchPayloadBits; ++i) {
    if (unscrambled(i, l_max)) continue;
    a[static_cast<std::size_t>(i)] ^= c[static_cast<std::size_t>(j + v * M)];
    ++j;
  }
}

// 38.211 7.3.3.1: the 864-bit block's c(i + v 864) window, c_init = N_ID^cell.
std::vector<uint8_t> bit_scrambling(uint16_t pci, int v) {
  std::vector<uint8_t> c(static_cast<std::size_t>(kPbchE * (v + 1)));
  tw::dsp::gold_sequence(pci, c);
  return std::vector<uint8_t>(c.begin() + static_cast<std::ptrdiff_t>(kPbchE * v), c.end());
}

struct PbchCodec {
  PolarCode code{kPbchK, kPbchE, 9, true};
  PolarRateMatcher rm{kPbchN, kPbchK, kPbchE};
};
const PbchCodec& codec() {
  static const PbchCodec c;
  return c;
}

}  // namespace

const std::array<uint8_t, 32>& pbch_payload_interleaver_pattern() { return kG; }

uint32_t crc24c(std::span<const uint8_t> bits) {
  constexpr uint32_t kPoly = 0xB2B117u;  // D^23..D^0 terms of gCRC24C (D^24 implicit)
  uint32_t reg = 0;
  for (uint8_t b : bits) {
    const uint32_t fb = ((reg >> 23) & 1u) ^ (b & 1u);
    reg = (reg << 1) & 0xFFFFFFu;
    if (fb) reg ^= kPoly;
  }
  return reg;
}

std::array<uint8_t, 32> pbch_payload_bits(const PbchPayload& p, int l_max) {
  if (l_max != 4 && l_max != 8 && l_max != 64) throw InputError("PBCH: L_max " + std::to_string(l_max) + " is not 4, 8 or 64");
  if (p.mib_bits >= (1u << 24)) throw InputError("PBCH payload: mib_bits has more than 24 bits");
  if (p.sfn > 1023) throw InputError("PBCH payload: SFN " + std::to_string(p.sfn) + " outside 0..1023");
  if (p.ssb_index >= l_max) throw InputError("PBCH payload: SS/PBCH block index " + std::to_string(p.ssb_index) + " >= L_max");
  if (p.k_ssb_msb > 1) throw InputError("PBCH payload: k_SSB MSB " + std::to_string(p.k_ssb_msb) + " is not a bit");
  if (p.reserved_bits > 3) throw InputError("PBCH payload: reserved bits " + std::to_string(p.reserved_bits));
  if (((p.mib_bits >> 17) & 0x3Fu) != (p.sfn >> 4)) {
    throw InputError("PBCH payload: the MIB's systemFrameNumber differs from the 6 MSBs of SFN " + std::to_string(p.sfn));
  }
  std::array<uint8_t, 32> a{};
  for (int i = 0; i < 24; ++i) a[static_cast<std::size_t>(i)] = (p.mib_bits >> (23 - i)) & 1u;
  for (int i = 0; i < 4; ++i) a[static_cast<std::size_t>(24 + i)] = (p.sfn >> (3 - i)) & 1u;  // 4th..1st LSB
  a[28] = p.half_frame ? 1 : 0;
  if (l_max == 64) {
    for (int i = 0; i < 3; ++i) a[static_cast<std::size_t>(29 + i)] = (p.ssb_index >> (5 - i)) & 1u;  // 6th..4th bit
  } else {
    a[29] = p.k_ssb_msb;
    a[30] = (p.reserved_bits >> 1) & 1u;
    a[31] = p.reserved_bits & 1u;
  }
  return a;
}

std::array<uint8_t, 32> pbch_payload_interleave(const std::array<uint8_t, 32>& a_bar) {
  std::array<uint8_t, 32> a{};
  for (int i = 0; i < 32; ++i) a[kPosition[static_cast<std::size_t>(i)]] = a_bar[static_cast<std::size_t>(i)];
  return a;
}

std::array<uint8_t, 864> pbch_encode(const PbchPayload& p, uint16_t pci, int l_max) {
  check_common(pci, l_max);
  auto a = pbch_payload_interleave(pbch_payload_bits(p, l_max));  // 7.1.1
  payload_scramble(a, pci, l_max, 2 * ((p.sfn >> 2) & 1) + ((p.sfn >> 1) & 1));  // 7.1.2
  std::array<uint8_t, kPbchK> b{};  // 7.1.3
  std::copy(a.begin(), a.end(), b.begin());
  const uint32_t crc = crc24c(std::span<const uint8_t>(a.data(), a.size()));
  for (int i = 0; i < kPbchCrcBits; ++i) b[static_cast<std::size_t>(32 + i)] = (crc >> (23 - i)) & 1u;
  const auto& cc = codec();
  std::array<uint8_t, kPbchN> d{};  // 7.1.4
  cc.code.encode(b, d);
  std::array<uint8_t, kPbchE> f{};  // 7.1.5
  cc.rm.match(d, f);
  const int v = p.ssb_index & (l_max == 4 ? 3 : 7);  // 38.211 7.3.3.1
  const auto c = bit_scrambling(pci, v);
  for (int i = 0; i < kPbchE; ++i) f[static_cast<std::size_t>(i)] ^= c[static_cast<std::size_t>(i)];
  return f;
}

std::optional<PbchDecoded> pbch_decode(std::span<const float> llr, uint16_t pci, uint8_t ssb_index_lsbs, int l_max) {
  check_common(pci, l_max);
  if (llr.size() != static_cast<std::size_t>(kPbchE)) {
    throw InputError("PBCH decode: " + std::to_string(llr.size()) + " soft values, needs 864");
  }
  if (ssb_index_lsbs >= (l_max == 4 ? 4 : 8)) throw InputError("PBCH decode: SSB index LSBs " + std::to_string(ssb_index_lsbs));
  // 38.211 7.3.3.1 descrambling: a scrambled bit flips the LLR's sign.
  const auto c = bit_scrambling(pci, ssb_index_lsbs);
  std::array<float, kPbchE> e{};
  int informative = 0;
  for (int i = 0; i < kPbchE; ++i) {
    float v = llr[static_cast<std::size_t>(i)];
    if (!std::isfinite(v)) v = 0.0f;
    if (v != 0.0f) ++informative;
    e[static_cast<std::size_t>(i)] = c[static_cast<std::size_t>(i)] ? -v : v;
  }
  if (2 * informative < kPbchE) return std::nullopt;
  const auto& cc = codec();
  std::array<float, kPbchN> d{};
  cc.rm.recover(e, d);  // 7.1.5 inverse: the repeated copies add
  thread_local PolarListDecoder dec(cc.code, kPbchListSize);
  PolarListDecoder::Result res;
  const bool ok = dec.decode(d, [](std::span<const uint8_t> bits) { return crc24c(bits) == 0; }, res);
  if (!ok) return std::nullopt;
  // 7.1.2 inverse: v from the unscrambled SFN bits, then the same sequence.
  std::array<uint8_t, 32> a{};
  std::copy(res.c.begin(), res.c.begin() + 32, a.begin());
  const int v = 2 * a[kPosition[25]] + a[kPosition[26]];
  payload_scramble(a, pci, l_max, v);
  std::array<uint8_t, 32> a_bar{};
  for (int i = 0; i < 32; ++i) a_bar[static_cast<std::size_t>(i)] = a[kPosition[static_cast<std::size_t>(i)]];
  PbchDecoded out{};
  uint32_t mib = 0;
  for (int i = 0; i < 24; ++i) mib = (mib << 1) | a_bar[static_cast<std::size_t>(i)];
  out.payload.mib_bits = mib;
  uint16_t sfn = static_cast<uint16_t>(((mib >> 17) & 0x3Fu) << 4);
  for (int i = 0; i < 4; ++i) sfn = static_cast<uint16_t>(sfn | (a_bar[static_cast<std::size_t>(24 + i)] << (3 - i)));
  out.payload.sfn = sfn;
  out.payload.half_frame = a_bar[28] != 0;
  if (l_max == 64) {
    out.payload.ssb_index = static_cast<uint8_t>((a_bar[29] << 5) | (a_bar[30] << 4) | (a_bar[31] << 3) | ssb_index_lsbs);
    out.payload.k_ssb_msb = 0;
  } else {
    out.payload.ssb_index = ssb_index_lsbs;
    out.payload.k_ssb_msb = a_bar[29];
    out.payload.reserved_bits = static_cast<uint8_t>((a_bar[30] << 1) | a_bar[31]);
  }
  // Reliability: correlation of the soft values with the re-encoded block.
  const auto f = pbch_encode(out.payload, pci, l_max);
  double corr = 0.0, norm = 0.0;
  for (int i = 0; i < kPbchE; ++i) {
    float v2 = llr[static_cast<std::size_t>(i)];
    if (!std::isfinite(v2)) v2 = 0.0f;
    corr += f[static_cast<std::size_t>(i)] ? -v2 : v2;
    norm += std::fabs(v2);
  }
  out.metric = norm > 0 ? corr / norm : 0.0;
  out.path_metric = res.path_metric;
  out.list_rank = res.list_rank;
  return out;
}

}  // namespace tw::nr
