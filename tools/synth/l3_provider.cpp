#include "tools/synth/l3_provider.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tw::synth {

namespace {
std::uint64_t next(std::uint64_t& s) {   // splitmix64 step
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
double uniform(std::uint64_t& s) { return static_cast<double>(next(s) >> 11) * 0x1.0p-53; }
int below(std::uint64_t& s, int n) { return static_cast<int>(next(s) % static_cast<std::uint64_t>(n)); }

constexpr double kMultiframeS = 51.0 * kSymbolsPerFrame / kSymbolRate;   // 235.38 ms
}  // namespace

L3BlockProvider::L3BlockProvider(const CellConfig& cell, std::uint64_t cell_seed) : cell_(cell), seed_(cell_seed) {
  const SiSet set = si_set_of(cell);
  si1_ = l3::encode_si1(cell);
  si2_ = l3::encode_si2(cell);
  si3_ = l3::encode_si3(cell);
  si4_ = l3::encode_si4(cell);
  if (set.si2bis) si2bis_ = l3::encode_si2bis(cell);
  if (set.si2ter) si2ter_ = l3::encode_si2ter(cell);
  if (set.si2quater) si2quater_ = l3::encode_si2quater(cell);
  if (set.si13) si13_ = l3::encode_si13(cell);
  fill_ = l3::l2_fill_frame();
  const int blocks = ccch_blocks_per_multiframe(cell.ccch_conf);
  reserved_ = std::clamp(cell.bs_ag_blks_res, 0, blocks - 1);
  const double blocks_per_s = blocks / kMultiframeS;
  const double paging_blocks_per_s = (blocks - reserved_) / kMultiframeS;
  p_page_ = std::clamp(cell.traffic.paging_per_s / paging_blocks_per_s, 0.0, 1.0);
  p_ia_ = std::clamp(cell.traffic.imm_ass_per_s / blocks_per_s, 0.0, 1.0);
  p_iar_ = std::clamp(cell.traffic.imm_ass_reject_per_s / blocks_per_s, 0.0, 1.0 - p_ia_);
}

BlockContent L3BlockProvider::bcch(SiType type, std::uint32_t) {
  switch (type) {
    case SiType::si1: return {si1_, "SI1"};
    case SiType::si2: return {si2_, "SI2"};
    case SiType::si2bis: return {si2bis_, "SI2bis"};
    case SiType::si2ter: return {si2ter_, "SI2ter"};
    case SiType::si2quater: return {si2quater_, "SI2quater"};
    case SiType::si3: return {si3_, "SI3"};
    case SiType::si4: return {si4_, "SI4"};
    case SiType::si13: return {si13_, "SI13"};
  }
  return {si3_, "SI3"};
}

namespace {

TruthIdentity truth_identity_of_tmsi(std::uint32_t tmsi) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", tmsi);
  return {"tmsi", buf};
}

TruthIdentity truth_identity(const l3::MobileIdentity& id) {
  if (id.kind == l3::MobileIdentity::Kind::tmsi) return truth_identity_of_tmsi(id.tmsi);
  std::string digits;
  for (auto d : id.digits) digits.push_back(static_cast<char>('0' + d));
  return {id.kind == l3::MobileIdentity::Kind::imsi ? "imsi" : "imei", digits};
}

}  // namespace

l3::MobileIdentity L3BlockProvider::random_identity(std::uint64_t& s) {
  l3::MobileIdentity id;
  const double u = uniform(s);
  if (u < cell_.traffic.paging_imsi_fraction) {
    id.kind = l3::MobileIdentity::Kind::imsi;
    // MCC + MNC of the cell, then subscriber digits up to 15 in all (24.008 10.5.1.4).
    id.digits = {static_cast<std::uint8_t>(cell_.mcc / 100), static_cast<std::uint8_t>(cell_.mcc / 10 % 10),
                      static_cast<std::uint8_t>(cell_.mcc % 10)};
    if (cell_.mnc_digits == 3) id.digits.push_back(static_cast<std::uint8_t>(cell_.mnc / 100));
    id.digits.push_back(static_cast<std::uint8_t>(cell_.mnc / 10 % 10));
    id.digits.push_back(static_cast<std::uint8_t>(cell_.mnc % 10));
    while (id.digits.size() < 15) id.digits.push_back(static_cast<std::uint8_t>(below(s, 10)));
  } else if (u < cell_.traffic.paging_imsi_fraction + cell_.traffic.paging_imei_fraction) {
    id.kind = l3::MobileIdentity::Kind::imei;   // 15 digits: TAC (8), SNR (6), check digit (23.003 6.2.1)
    while (id.digits.size() < 15) id.digits.push_back(static_cast<std::uint8_t>(below(s, 10)));
  } else {
    id.kind = l3::MobileIdentity::Kind::tmsi;
    id.tmsi = static_cast<std::uint32_t>(next(s));
  }
  return id;
}

BlockContent L3BlockProvider::ccch(int block, std::uint32_t fn) {
  std::uint64_t s = seed_ ^ (0xcc00000000ULL + fn) * 0x2545f4914f6cdd1dULL;
  next(s);
  const double u = uniform(s);
  double p_page = block >= reserved_ ? p_page_ : 0.0;
  const auto& t = cell_.traffic;
  if (u < p_page) {
    const double r = uniform(s);
    if (r < t.paging_type3_fraction) {
      std::array<std::uint32_t, 4> tmsis{};
      for (auto& x : tmsis) x = static_cast<std::uint32_t>(next(s));
      BlockContent b{l3::encode_paging_request_3(tmsis), "Paging Request Type 3"};
      for (auto x : tmsis) b.identities.push_back(truth_identity_of_tmsi(x));
      return b;
    }
    if (r < t.paging_type3_fraction + t.paging_type2_fraction) {
      const auto t1 = static_cast<std::uint32_t>(next(s));
      const auto t2 = static_cast<std::uint32_t>(next(s));
      if (uniform(s) < 0.5) {
        const auto third = random_identity(s);
        BlockContent b{l3::encode_paging_request_2(t1, t2, &third), "Paging Request Type 2"};
        b.identities = {truth_identity_of_tmsi(t1), truth_identity_of_tmsi(t2), truth_identity(third)};
        return b;
      }
      BlockContent b{l3::encode_paging_request_2(t1, t2, nullptr), "Paging Request Type 2"};
      b.identities = {truth_identity_of_tmsi(t1), truth_identity_of_tmsi(t2)};
      return b;
    }
    std::vector<l3::MobileIdentity> ids;
    ids.push_back(random_identity(s));
    if (uniform(s) < 0.3) ids.push_back(random_identity(s));
    BlockContent b{l3::encode_paging_request_1(ids), "Paging Request Type 1"};
    for (const auto& id : ids) b.identities.push_back(truth_identity(id));
    return b;
  }
  const double v = uniform(s);
  if (v < p_ia_) {
    l3::ImmediateAssignment ia;
    ia.timeslot = 1 + below(s, 7);
    ia.subchannel = below(s, 8);
    ia.tsc = cell_.bsic & 7;
    const auto& ca = cell_.cell_allocation;
    if (ca.size() >= 2 && uniform(s) < t.imm_ass_hopping_fraction) {
      ia.hopping = true;
      ia.cell_allocation = ca;
      ia.mobile_allocation_arfcns = ca;
      ia.maio = below(s, static_cast<int>(std::min<std::size_t>(ca.size(), 64)));
      ia.hsn = below(s, 64);
    } else {
      ia.arfcn = ca.empty() ? cell_.arfcn : ca[static_cast<std::size_t>(below(s, static_cast<int>(ca.size())))];
    }
    ia.ra = static_cast<std::uint8_t>(next(s));
    ia.fn = (fn + kHyperframe - 3 - static_cast<std::uint32_t>(below(s, 40))) % kHyperframe;
    ia.timing_advance = below(s, 8);
    return {l3::encode_immediate_assignment(ia), "Immediate Assignment"};
  }
  if (v < p_ia_ + p_iar_) {
    std::vector<std::pair<std::uint8_t, std::uint32_t>> refs;
    const int n = 1 + below(s, 4);
    for (int i = 0; i < n; ++i)
      refs.emplace_back(static_cast<std::uint8_t>(next(s)),
                        (fn + kHyperframe - 3 - static_cast<std::uint32_t>(below(s, 40))) % kHyperframe);
    return {l3::encode_immediate_assignment_reject(refs, 2 + below(s, 19)), "Immediate Assignment Reject"};
  }
  return {fill_, "L2 fill frame"};
}

BlockContent L3BlockProvider::sdcch(int, std::uint32_t) { return {fill_, "L2 fill frame"}; }

}  // namespace tw::synth
