// Frequency List encoding, 3GPP TS 44.018 clause 10.5.2.13 (formats) and Annex J (the W(k) tree).
#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {
namespace detail {
namespace {

int mod(int n, int m) {
  const int r = n % m;
  return r < 0 ? r + m : r;
}

int greatest_power_of_2_le(int v) {
  int p = 1;
  while (p * 2 <= v) p *= 2;
  return p;
}

// Annex J.4 ENCODE_SUBTREE: the pivot is the element with exactly (n-1)/2 other elements in the half
// range following it; the elements after the pivot's half window form the left subtree (index + 2^level),
// those within it the right subtree (index + 2^(level+1)).
void encode_subtree(std::vector<int>& w, int index, const std::vector<int>& set, int range) {
  if (index >= static_cast<int>(w.size())) w.resize(static_cast<std::size_t>(index) + 1, 0);
  if (set.empty()) {
    w[static_cast<std::size_t>(index)] = 0;
    return;
  }
  if (set.size() == 1) {
    w[static_cast<std::size_t>(index)] = set[0] + 1;
    return;
  }
  const int n = static_cast<int>(set.size());
  int pivot = -1;
  for (int i = 0; i < n && pivot < 0; ++i) {
    int count = 0;
    for (int j = 0; j < n; ++j) {
      if (mod(set[static_cast<std::size_t>(j)] - set[static_cast<std::size_t>(i)], range) <= (range - 1) / 2) ++count;
    }
    if (count - 1 == (n - 1) / 2) pivot = i;
  }
  if (pivot < 0) throw std::invalid_argument("frequency list: no Annex J pivot (value outside the range?)");
  const int pv = set[static_cast<std::size_t>(pivot)];
  w[static_cast<std::size_t>(index)] = pv + 1;
  const int g = greatest_power_of_2_le(index);

  std::vector<int> subset;
  int origin = mod(pv + (range - 1) / 2 + 1, range);
  for (int v : set) {
    const int d = mod(v - origin, range);
    if (d < range / 2) subset.push_back(d);
  }
  encode_subtree(w, index + g, subset, range / 2);

  subset.clear();
  origin = mod(pv + 1, range);
  for (int v : set) {
    const int d = mod(v - origin, range);
    if (d < range / 2) subset.push_back(d);
  }
  encode_subtree(w, index + 2 * g, subset, (range - 1) / 2);
}

std::vector<int> validated_set(const std::vector<int>& arfcns) {
  std::set<int> s;
  for (int a : arfcns) {
    check_range("frequency list", "ARFCN", a, 0, 1023);
    s.insert(a);
  }
  return {s.begin(), s.end()};
}

// The origin of a range or variable bit map format: the ARFCN after the largest circular gap, so that
// every other ARFCN lies within the smallest span above it (mod 1024). Returns {orig, span}.
std::pair<int, int> choose_origin(const std::vector<int>& sorted) {
  const int n = static_cast<int>(sorted.size());
  int best_gap = -1, orig = sorted[0];
  for (int i = 0; i < n; ++i) {
    const int next = sorted[static_cast<std::size_t>((i + 1) % n)];
    const int gap = n == 1 ? 1024 : mod(next - sorted[static_cast<std::size_t>(i)], 1024);
    if (gap > best_gap) {
      best_gap = gap;
      orig = next;
    }
  }
  return {orig, n == 1 ? 0 : 1024 - best_gap};
}

bool w_fits(const std::vector<int>& w, int w1_bits, std::size_t bits) {
  std::size_t need = 0;
  for (std::size_t k = 1; k < w.size(); ++k) need += static_cast<std::size_t>(w_width(w1_bits, static_cast<int>(k)));
  return need <= bits;
}

void put_w(BitWriter& bw, const std::vector<int>& w, int w1_bits) {
  for (std::size_t k = 1; k < w.size(); ++k) {
    bw.put(static_cast<std::uint32_t>(w[k]), w_width(w1_bits, static_cast<int>(k)));
  }
}

using Octets16 = std::array<std::uint8_t, 16>;

// 10.5.2.13.2 bit map 0: bit n of the 124-bit map is ARFCN n (ARFCN 1 = bit 1 of the last octet).
Octets16 bitmap0(const std::vector<int>& a) {
  Octets16 out{};
  for (int f : a) {
    const int idx = 15 - (f - 1) / 8;
    out[static_cast<std::size_t>(idx)] |= static_cast<std::uint8_t>(1u << ((f - 1) % 8));
  }
  return out;
}

// 10.5.2.13.3 range 1024: "10" 00 0 F0 W(1) 10 bits, W(2..3) 9, W(4..7) 8, W(8..15) 7, W(16) 6.
std::optional<Octets16> range1024(const std::vector<int>& a) {
  bool f0 = false;
  std::vector<int> set;
  for (int f : a) {
    if (f == 0) f0 = true;
    else set.push_back(f - 1);
  }
  const auto w = annex_j_encode(set, 1023);
  if (!w_fits(w, 10, 128 - 6)) return std::nullopt;
  Octets16 out{};
  BitWriter bw(out.data(), out.size(), "frequency list (range 1024)", 0);
  bw.put(2, 2);  // format ID bits 8-7 = 10
  bw.put(0, 2);  // bits 6-5: spare / EXT-IND / BA-IND, set by the caller
  bw.put(0, 1);  // bit 4 = 0: range 1024
  bw.bit(f0);
  put_w(bw, w, 10);
  return out;
}

// 10.5.2.13.4..6 range 512 / 256 / 128: "10" 00 1xx ORIG-ARFCN (10 bits), then W(k) of ARFCN - ORIG - 1.
std::optional<Octets16> range_n(const std::vector<int>& a, int r) {
  if (a.empty()) return std::nullopt;
  const auto [orig, span] = choose_origin(a);
  if (span > r - 1) return std::nullopt;
  std::vector<int> set;
  for (int f : a) {
    if (f != orig) set.push_back(mod(f - orig - 1, 1024));
  }
  const int w1_bits = r == 512 ? 9 : r == 256 ? 8 : 7;
  const std::uint32_t format = r == 512 ? 0b100 : r == 256 ? 0b101 : 0b110;
  const auto w = annex_j_encode(set, r - 1);
  if (!w_fits(w, w1_bits, 128 - 17)) return std::nullopt;
  Octets16 out{};
  BitWriter bw(out.data(), out.size(), "frequency list (range " + std::to_string(r) + ")", 0);
  bw.put(2, 2);
  bw.put(0, 2);
  bw.put(format, 3);
  bw.put(static_cast<std::uint32_t>(orig), 10);
  put_w(bw, w, w1_bits);
  return out;
}

// 10.5.2.13.7 variable bit map: "10" 00 111 ORIG-ARFCN, RRFCN k = ARFCN (ORIG + k) mod 1024, k = 1..111.
std::optional<Octets16> variable_bitmap(const std::vector<int>& a) {
  if (a.empty()) return std::nullopt;
  const auto [orig, span] = choose_origin(a);
  if (span > 111) return std::nullopt;
  Octets16 out{};
  BitWriter bw(out.data(), out.size(), "frequency list (variable bit map)", 0);
  bw.put(2, 2);
  bw.put(0, 2);
  bw.put(0b111, 3);
  bw.put(static_cast<std::uint32_t>(orig), 10);
  for (int k = 1; k <= 111; ++k) bw.bit(std::binary_search(a.begin(), a.end(), (orig + k) % 1024));
  return out;
}

}  // namespace

int w_width(int w1_bits, int k) {
  int level = 0;
  while ((2 << level) <= k) ++level;
  return w1_bits - level;
}

std::vector<int> annex_j_encode(const std::vector<int>& set, int range) {
  for (int v : set) check_range("frequency list", "Annex J value", v, 0, range - 1);
  std::vector<int> w(2, 0);
  encode_subtree(w, 1, set, range);
  while (w.size() > 1 && w.back() == 0) w.pop_back();
  return w;
}

std::array<std::uint8_t, 16> encode_frequency_list16(const std::vector<int>& arfcns, bool allow_bitmap0) {
  const auto a = validated_set(arfcns);
  if (allow_bitmap0 && std::all_of(a.begin(), a.end(), [](int f) { return f >= 1 && f <= 124; })) {
    return bitmap0(a);
  }
  if (auto r = range1024(a)) return *r;
  for (int r : {512, 256, 128}) {
    if (auto o = range_n(a, r)) return *o;
  }
  if (auto v = variable_bitmap(a)) return *v;
  throw std::invalid_argument("frequency list: " + std::to_string(a.size()) +
                              " ARFCNs cannot be encoded in 16 octets (bit map 0, range 1024/512/256/128, "
                              "variable bit map)");
}

std::array<std::uint8_t, 16> encode_frequency_list_range(const std::vector<int>& arfcns, int range) {
  const auto a = validated_set(arfcns);
  std::optional<Octets16> o;
  if (range == 1024) o = range1024(a);
  else if (range == 512 || range == 256 || range == 128) o = range_n(a, range);
  else throw std::invalid_argument("frequency list: no range " + std::to_string(range) + " format");
  if (!o) throw std::invalid_argument("frequency list: the set does not fit range " + std::to_string(range));
  return *o;
}

}  // namespace detail

std::array<std::uint8_t, 16> encode_neighbour_cells(const std::vector<int>& arfcns, bool ext_ind, bool ba_ind) {
  auto out = detail::encode_frequency_list16(arfcns, true);
  // 10.5.2.22: bit 6 EXT-IND, bit 5 BA-IND of the first octet
  out[0] = static_cast<std::uint8_t>(out[0] | (ext_ind ? 0x20 : 0) | (ba_ind ? 0x10 : 0));
  return out;
}

}  // namespace tw::synth::l3
