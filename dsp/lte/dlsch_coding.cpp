#include "dsp/lte/dlsch_coding.hpp"

#include <algorithm>
#include <string>

#include "dsp/lte/turbo_code.hpp"
#include "dsp/lte/turbo_rate_match.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {

constexpr int kCrcBits = 24;          // L (5.1.2)
constexpr int kTbsMin = 16, kTbsMax = 75376;
constexpr int kMaxCodeBlocks = 64;    // B up to 64 (6144 - 24) bits: every TBS of 36.213 7.1.7.2

// 5.1.1: register 0, the bits shifted in with the generator's feedback; p0 ends in bit 23.
std::uint32_t crc24(std::span<const std::uint8_t> bits, std::uint32_t poly, const char* name) {
  std::uint32_t reg = 0;
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (bits[i] > 1) throw InputError(std::string(name) + ": bit " + std::to_string(i) + " is not 0/1");
    const bool fb = (((reg >> 23) & 1u) != 0) != (bits[i] != 0);
    reg = (reg << 1) & 0xFFFFFFu;
    if (fb) reg ^= poly;
  }
  return reg;
}

void append_crc(std::vector<std::uint8_t>& v, std::uint32_t crc) {
  for (int i = 0; i < kCrcBits; ++i) v.push_back(static_cast<std::uint8_t>((crc >> (kCrcBits - 1 - i)) & 1u));
}

void check_tbs(int a) {
  if (a < kTbsMin || a > kTbsMax)
    throw InputError("DL-SCH: transport block size " + std::to_string(a) + " bits is outside " + std::to_string(kTbsMin) +
                     ".." + std::to_string(kTbsMax));
}

int first_filler_free(const CodeBlockSegmentation& s, int r) { return r == 0 ? s.f : 0; }

}  // namespace

// gCRC24A(D) = D^24 + D^23 + D^18 + D^17 + D^14 + D^11 + D^10 + D^7 + D^6 + D^5 + D^4 + D^3 + D + 1.
std::uint32_t crc24a(std::span<const std::uint8_t> bits) { return crc24(bits, 0x864CFBu, "crc24a"); }
// gCRC24B(D) = D^24 + D^23 + D^6 + D^5 + D + 1.
std::uint32_t crc24b(std::span<const std::uint8_t> bits) { return crc24(bits, 0x800063u, "crc24b"); }

CodeBlockSegmentation segment_code_blocks(int b_bits) {
  constexpr int z = kTurboKMax;
  if (b_bits < 1 || b_bits > kMaxCodeBlocks * (z - kCrcBits))
    throw InputError("code block segmentation: B = " + std::to_string(b_bits) + " bits out of range");
  CodeBlockSegmentation s;
  int b_prime = b_bits;
  if (b_bits > z) {
    s.c = (b_bits + (z - kCrcBits) - 1) / (z - kCrcBits);
    b_prime = b_bits + s.c * kCrcBits;
  }
  // K+: the smallest K of table 5.1.3-3 with C K >= B'.
  const auto table = qpp_table();
  int i_plus = 0;
  while (s.c * table[static_cast<std::size_t>(i_plus)].k < b_prime) ++i_plus;   // ends: C * 6144 >= B'
  s.k_plus = table[static_cast<std::size_t>(i_plus)].k;
  if (s.c == 1) {
    s.c_plus = 1;
    s.k_minus = 0;
    s.c_minus = 0;
  } else {
    s.k_minus = table[static_cast<std::size_t>(i_plus - 1)].k;   // the largest K < K+
    const int delta_k = s.k_plus - s.k_minus;
    s.c_minus = (s.c * s.k_plus - b_prime) / delta_k;
    s.c_plus = s.c - s.c_minus;
  }
  s.f = s.c_plus * s.k_plus + s.c_minus * s.k_minus - b_prime;
  return s;
}

std::vector<std::uint8_t> dlsch_encode(std::span<const std::uint8_t> tb_bits, int g_bits, int qm, int rv) {
  const int a = static_cast<int>(std::min<std::size_t>(tb_bits.size(), 1u << 30));
  check_tbs(a);
  if (rv < 0 || rv > 3) throw InputError("DL-SCH encoder: rv = " + std::to_string(rv) + " is not 0..3");
  // 5.1.1: transport block CRC24A.
  std::vector<std::uint8_t> b(tb_bits.begin(), tb_bits.end());
  append_crc(b, crc24a(tb_bits));
  const CodeBlockSegmentation seg = segment_code_blocks(static_cast<int>(b.size()));
  const std::vector<int> e_r = turbo_rate_match_e(g_bits, qm, seg.c);
  std::vector<std::uint8_t> out;
  out.reserve(static_cast<std::size_t>(g_bits));
  std::size_t s = 0;   // next bit of b
  const int l = seg.c > 1 ? kCrcBits : 0;
  for (int r = 0; r < seg.c; ++r) {
    // 5.1.2: filler bits (0 into the encoder) at the start of block 0, then K_r - L bits of b, then CRC24B.
    const int kr = seg.k(r);
    const int nf = first_filler_free(seg, r);
    std::vector<std::uint8_t> c(static_cast<std::size_t>(nf), 0);
    const std::size_t take = static_cast<std::size_t>(kr - l - nf);
    c.insert(c.end(), b.begin() + static_cast<std::ptrdiff_t>(s), b.begin() + static_cast<std::ptrdiff_t>(s + take));
    s += take;
    if (l) append_crc(c, crc24b(c));
    const TurboCodeword cw = turbo_encode(c);
    const TurboRateMatcher rm(kr, nf);
    std::vector<std::uint8_t> e(static_cast<std::size_t>(e_r[static_cast<std::size_t>(r)]));
    rm.match(cw, rv, e);
    out.insert(out.end(), e.begin(), e.end());   // 5.1.5 code block concatenation
  }
  return out;
}

struct DlschDecoder::Impl {
  int a = 0;
  CodeBlockSegmentation seg;
  std::vector<TurboRateMatcher> rm;          // per code block
  std::vector<std::vector<float>> w;         // per code block: circular buffer soft values (K_w)
  TurboDecoder dec_plus, dec_minus;
  int transmissions = 0;
  explicit Impl(int a_bits, const CodeBlockSegmentation& s)
      : a(a_bits), seg(s), dec_plus(s.k_plus), dec_minus(s.k_minus ? s.k_minus : s.k_plus) {}
};

DlschDecoder::DlschDecoder(int tbs_bits) {
  check_tbs(tbs_bits);
  const CodeBlockSegmentation seg = segment_code_blocks(tbs_bits + kCrcBits);
  impl_ = std::make_unique<Impl>(tbs_bits, seg);
  for (int r = 0; r < seg.c; ++r) {
    impl_->rm.emplace_back(seg.k(r), first_filler_free(seg, r));
    impl_->w.emplace_back(static_cast<std::size_t>(impl_->rm.back().k_w()), 0.0f);
  }
}
DlschDecoder::~DlschDecoder() = default;
DlschDecoder::DlschDecoder(DlschDecoder&&) noexcept = default;
DlschDecoder& DlschDecoder::operator=(DlschDecoder&&) noexcept = default;

int DlschDecoder::tbs_bits() const { return impl_->a; }

void DlschDecoder::reset() {
  for (auto& w : impl_->w) std::fill(w.begin(), w.end(), 0.0f);
  impl_->transmissions = 0;
}

void DlschDecoder::add(std::span<const float> llr, int qm, int rv) {
  Impl& m = *impl_;
  if (rv < 0 || rv > 3) throw InputError("DL-SCH decoder: rv = " + std::to_string(rv) + " is not 0..3");
  if (llr.size() > static_cast<std::size_t>(kMaxDlschG))
    throw InputError("DL-SCH decoder: G = " + std::to_string(llr.size()) + " soft values, more than a PDSCH carries");
  const std::vector<int> e_r = turbo_rate_match_e(static_cast<int>(llr.size()), qm, m.seg.c);
  std::size_t off = 0;
  for (int r = 0; r < m.seg.c; ++r) {
    const std::size_t e = static_cast<std::size_t>(e_r[static_cast<std::size_t>(r)]);
    m.rm[static_cast<std::size_t>(r)].accumulate(llr.subspan(off, e), rv, m.w[static_cast<std::size_t>(r)]);
    off += e;
  }
  ++m.transmissions;
}

std::optional<std::vector<std::uint8_t>> DlschDecoder::decode(int max_iterations) {
  Impl& m = *impl_;
  if (max_iterations < 1 || max_iterations > 64)
    throw InputError("DL-SCH decoder: max_iterations = " + std::to_string(max_iterations) + " out of 1..64");
  if (m.transmissions == 0) return std::nullopt;
  const int l = m.seg.c > 1 ? kCrcBits : 0;
  std::vector<std::uint8_t> b;
  b.reserve(static_cast<std::size_t>(m.a + kCrcBits));
  std::vector<float> d0, d1, d2;
  std::vector<std::uint8_t> c;
  double agreement = 0.0;
  for (int r = 0; r < m.seg.c; ++r) {
    const auto& w = m.w[static_cast<std::size_t>(r)];
    const TurboRateMatcher& rm = m.rm[static_cast<std::size_t>(r)];
    // A code block that received fewer soft values than it has bits (nothing at all, or a rate above 1)
    // decodes to about all zeros, which every CRC accepts: it is not decoded.
    if (std::count_if(w.begin(), w.end(), [](float x) { return x != 0.0f; }) < rm.k() - rm.n_filler()) return std::nullopt;
    const std::size_t d = static_cast<std::size_t>(rm.d());
    d0.resize(d);
    d1.resize(d);
    d2.resize(d);
    rm.to_streams(w, d0, d1, d2);
    c.resize(static_cast<std::size_t>(rm.k()));
    TurboDecoder& dec = rm.k() == m.seg.k_plus ? m.dec_plus : m.dec_minus;
    const TurboDecodeResult res = dec.execute(d0, d1, d2, rm.n_filler(), m.seg.c > 1 ? TurboCrc::crc24b : TurboCrc::crc24a,
                                              max_iterations, c);
    if (!res.crc_ok) return std::nullopt;
    // The code word decoded, against the soft values received: sum of w(p) (1 - 2 w_bit(p)) over the
    // positions of the circular buffer (5.1.4.1.2; NULL positions carry nothing).
    const TurboCodeword cw = turbo_encode(c);
    const std::vector<std::uint8_t>* streams[3] = {&cw.d0, &cw.d1, &cw.d2};
    for (std::size_t p = 0; p < w.size(); ++p) {
      const int src = rm.w_source(static_cast<int>(p));
      if (src < 0) continue;
      const std::size_t i = static_cast<std::size_t>(src) / d, j = static_cast<std::size_t>(src) % d;
      agreement += (*streams[i])[j] ? -static_cast<double>(w[p]) : static_cast<double>(w[p]);
    }
    // Code block desegmentation: drop the filler bits and the code block CRC.
    b.insert(b.end(), c.begin() + rm.n_filler(), c.end() - l);
  }
  if (b.size() != static_cast<std::size_t>(m.a + kCrcBits) || crc24a(b) != 0) return std::nullopt;
  // A block whose code word disagrees with what was received (its CRC checked by chance, or near-erasures
  // decoded to all zeros) is not the one sent. NaN (inf - inf in the buffer) is no agreement either.
  if (!(agreement > 0.0)) return std::nullopt;
  b.resize(static_cast<std::size_t>(m.a));
  return b;
}

}  // namespace tw::dsp::lte
