// Combining of System Information transmissions through the DL-SCH decoder (TS 36.212 5.3.2, 36.321 5.3.1).
#include "dsp/lte/si_combiner.hpp"

#include <cmath>
#include <string>

#include "dsp/lte/dlsch_coding.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {
namespace {

std::vector<std::uint8_t> to_octets(const std::vector<std::uint8_t>& bits) {
  std::vector<std::uint8_t> o(bits.size() / 8, 0);
  for (std::size_t i = 0; i < o.size() * 8; ++i) o[i / 8] = static_cast<std::uint8_t>(o[i / 8] | ((bits[i] & 1) << (7 - i % 8)));
  return o;
}

}  // namespace

SiCombiner::SiCombiner(int tbs_bits) : tbs_bits_(tbs_bits) {
  if (tbs_bits < 16 || tbs_bits % 8 != 0)
    throw InputError("tbs " + std::to_string(tbs_bits) + " bits is not a transport block size");
  DlschDecoder probe(tbs_bits);  // throws for a TBS the DL-SCH cannot carry
}

void SiCombiner::add(std::span<const float> llr, int rv) {
  if (rv < 0 || rv > 3) throw InputError("rv " + std::to_string(rv) + " outside 0..3");
  if (llr.empty()) throw InputError("llr: no soft values");
  if (static_cast<int>(tx_.size()) >= kMaxTransmissions)
    throw InputError("llr: more than " + std::to_string(kMaxTransmissions) + " transmissions of one block");
  for (float v : llr)
    if (!std::isfinite(v)) throw InputError("llr: a soft value is not finite");
  tx_.push_back({std::vector<float>(llr.begin(), llr.end()), rv});
}

std::optional<SiDecodeResult> SiCombiner::decode(int max_iterations) const {
  if (tx_.empty()) return std::nullopt;
  DlschDecoder dec(tbs_bits_);
  for (std::size_t i = 0; i < tx_.size(); ++i) {
    dec.reset();
    dec.add(tx_[i].llr, 2, tx_[i].rv);
    if (auto bits = dec.decode(max_iterations)) return SiDecodeResult{to_octets(*bits), 1, static_cast<int>(i)};
  }
  if (tx_.size() < 2) return std::nullopt;
  dec.reset();
  for (const auto& t : tx_) dec.add(t.llr, 2, t.rv);
  if (auto bits = dec.decode(max_iterations)) return SiDecodeResult{to_octets(*bits), static_cast<int>(tx_.size()), -1};
  // One transmission may not belong (another block's content, a false DCI): all but one, each left out once.
  if (tx_.size() < 3) return std::nullopt;
  for (std::size_t skip = 0; skip < tx_.size(); ++skip) {
    dec.reset();
    for (std::size_t i = 0; i < tx_.size(); ++i)
      if (i != skip) dec.add(tx_[i].llr, 2, tx_[i].rv);
    if (auto bits = dec.decode(max_iterations))
      return SiDecodeResult{to_octets(*bits), static_cast<int>(tx_.size()) - 1, -1, static_cast<int>(skip)};
  }
  return std::nullopt;
}

}  // namespace tw::dsp::lte
