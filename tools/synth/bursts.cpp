#include "tools/synth/bursts.hpp"

#include <stdexcept>
#include <string_view>

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

namespace tw::synth {

namespace {
template <std::size_t N>
constexpr std::array<std::uint8_t, N> bits_of(std::string_view s) {
  std::array<std::uint8_t, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = s[i] == '1' ? 1 : 0;
  return a;
}

// 45.002 clause 5.2.3, table of training sequence codes.
constexpr std::array<std::array<std::uint8_t, 26>, 8> kTsc = {
    bits_of<26>("00100101110000100010010111"), bits_of<26>("00101101110111100010110111"),
    bits_of<26>("01000011101110100100001110"), bits_of<26>("01000111101101000100011110"),
    bits_of<26>("00011010111001000001101011"), bits_of<26>("01001110101100000100111010"),
    bits_of<26>("10100111110110001010011111"), bits_of<26>("11101111000100101110111100")};

constexpr auto kSchTraining = bits_of<64>("1011100101100010000001000000111100101101010001010111011000011011");

// 45.002 clause 5.2.6 (with its 3 tail bits at each end).
constexpr auto kDummy = bits_of<148>(
    "000"
    "1111101101110110000010100100111000001001000100000001111100011100010111000101110001010111"
    "010010100011001100111001111010011111000100101111101010"
    "000");
}  // namespace

FrameTime frame_time(std::uint32_t fn) {
  fn %= kHyperframe;
  FrameTime t{};
  t.t1 = static_cast<int>((fn / 1326) % 2048);
  t.t2 = static_cast<int>(fn % 26);
  t.t3 = static_cast<int>(fn % 51);
  t.t3p = (t.t3 - 1) / 10;   // meaningful on SCH frames (T3 = 1, 11, 21, 31, 41)
  return t;
}

const std::array<std::uint8_t, 26>& training_sequence(int tsc) {
  if (tsc < 0 || tsc > 7) throw std::out_of_range("training sequence code out of range 0..7");
  return kTsc[static_cast<std::size_t>(tsc)];
}

const std::array<std::uint8_t, 64>& sch_training_sequence() { return kSchTraining; }

BurstBits fcch_burst() { return BurstBits{}; }

BurstBits dummy_burst() { return kDummy; }

std::array<std::uint8_t, 4> sch_info(int bsic, std::uint32_t fn) {
  if (bsic < 0 || bsic > 63) throw std::out_of_range("bsic out of range 0..63");
  const FrameTime t = frame_time(fn);
  const int t3p = t.t3p < 0 ? 0 : t.t3p;
  std::array<std::uint8_t, 4> sb{};
  sb[0] = static_cast<std::uint8_t>((bsic << 2) | (t.t1 >> 9));
  sb[1] = static_cast<std::uint8_t>((t.t1 >> 1) & 0xff);
  sb[2] = static_cast<std::uint8_t>(((t.t1 & 1) << 7) | (t.t2 << 2) | (t3p >> 1));
  sb[3] = static_cast<std::uint8_t>(t3p & 1);
  return sb;
}

BurstBits sch_burst(int bsic, std::uint32_t fn) {
  const auto sb = sch_info(bsic, fn);
  std::array<ubit_t, 78> coded{};
  gsm0503_sch_encode(coded.data(), sb.data());
  BurstBits b{};
  for (int i = 0; i < 39; ++i) b[static_cast<std::size_t>(3 + i)] = coded[static_cast<std::size_t>(i)];
  for (int i = 0; i < 64; ++i) b[static_cast<std::size_t>(42 + i)] = kSchTraining[static_cast<std::size_t>(i)];
  for (int i = 0; i < 39; ++i) b[static_cast<std::size_t>(106 + i)] = coded[static_cast<std::size_t>(39 + i)];
  return b;
}

BurstBits normal_burst(std::span<const std::uint8_t, 116> coded, int tsc) {
  const auto& ts = training_sequence(tsc);
  BurstBits b{};
  for (int i = 0; i < 58; ++i) b[static_cast<std::size_t>(3 + i)] = coded[static_cast<std::size_t>(i)] & 1;
  for (int i = 0; i < 26; ++i) b[static_cast<std::size_t>(61 + i)] = ts[static_cast<std::size_t>(i)];
  for (int i = 0; i < 58; ++i) b[static_cast<std::size_t>(87 + i)] = coded[static_cast<std::size_t>(58 + i)] & 1;
  return b;
}

std::array<BurstBits, 4> normal_bursts(const L2Octets& block, int tsc) {
  std::array<ubit_t, 4 * 116> coded{};
  gsm0503_xcch_encode(coded.data(), block.data());
  std::array<BurstBits, 4> out{};
  for (std::size_t k = 0; k < 4; ++k)
    out[k] = normal_burst(std::span<const std::uint8_t, 116>(coded.data() + 116 * k, 116), tsc);
  return out;
}

}  // namespace tw::synth
