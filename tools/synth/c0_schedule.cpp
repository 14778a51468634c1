#include "tools/synth/c0_schedule.hpp"

#include <algorithm>

namespace tw::synth {

namespace {
// 45.002 clause 7 table 3: FN mod 51 of the first frame of each CCCH block (non-combined).
constexpr int kCcchStart[9] = {6, 12, 16, 22, 26, 32, 36, 42, 46};
}  // namespace

int ccch_blocks_per_multiframe(int ccch_conf) { return ccch_conf == 1 ? 3 : 9; }

Ts0Slot ts0_slot(int ccch_conf, std::uint32_t fn) {
  const int t3 = static_cast<int>(fn % 51);
  Ts0Slot s;
  if (t3 == 50) return s;   // idle frame
  if (t3 % 10 == 0) {
    s.kind = Ts0Kind::fcch;
    return s;
  }
  if (t3 % 10 == 1) {
    s.kind = Ts0Kind::sch;
    return s;
  }
  if (t3 >= 2 && t3 <= 5) {
    s.kind = Ts0Kind::bcch;
    s.burst = t3 - 2;
    return s;
  }
  int b = 0;
  while (b < 8 && t3 >= kCcchStart[b + 1]) ++b;
  s.burst = t3 - kCcchStart[b];
  if (ccch_conf == 1 && b >= 3) {
    // Combination v: D0 22-25, D1 26-29, D2 32-35, D3 36-39; SACCH/C4 42-45 (0 or 2), 46-49 (1 or 3),
    // the SACCH sub-channels alternating between the two multiframes of a 102-frame cycle.
    if (b <= 6) {
      s.kind = Ts0Kind::sdcch;
      s.block = b - 3;
    } else {
      s.kind = Ts0Kind::sacch;
      s.block = (b - 7) + ((fn / 51) % 2 == 1 ? 2 : 0);
    }
    return s;
  }
  s.kind = Ts0Kind::ccch;
  s.block = b;
  return s;
}

const char* si_name(SiType t) {
  switch (t) {
    case SiType::si1: return "SI1";
    case SiType::si2: return "SI2";
    case SiType::si2bis: return "SI2bis";
    case SiType::si2ter: return "SI2ter";
    case SiType::si2quater: return "SI2quater";
    case SiType::si3: return "SI3";
    case SiType::si4: return "SI4";
    case SiType::si13: return "SI13";
  }
  return "?";
}

const char* channel_name(Ts0Kind kind) {
  switch (kind) {
    case Ts0Kind::fcch: return "FCCH";
    case Ts0Kind::sch: return "SCH";
    case Ts0Kind::bcch: return "BCCH";
    case Ts0Kind::ccch: return "CCCH";
    case Ts0Kind::sdcch: return "SDCCH";
    case Ts0Kind::sacch: return "SACCH";
    case Ts0Kind::idle: return "idle";
  }
  return "?";
}

SiSet si_set_of(const CellConfig& cell) {
  SiSet s;
  s.si2bis = !cell.neighbors_bis.empty();
  s.si2ter = !cell.neighbors_ter.empty();
  s.si2quater = cell.si2quater.present;
  s.si13 = cell.gprs;
  return s;
}

SiType bcch_si_type(std::uint32_t fn, const SiSet& set) {
  const std::uint32_t mf = (fn % kHyperframe) / 51;
  const int tc = static_cast<int>(mf % 8);
  const bool odd_cycle = (mf / 8) % 2 == 1;   // alternates between successive 8-multiframe cycles
  const bool tc5_bis_ter = set.si2bis || set.si2ter;
  switch (tc) {
    case 0: return SiType::si1;
    case 1: return SiType::si2;
    case 2:
    case 6: return SiType::si3;
    case 3:
    case 7: return SiType::si4;
    case 4: {
      const bool quater_here = set.si2quater && tc5_bis_ter;
      if (set.si13 && quater_here) return odd_cycle ? SiType::si2quater : SiType::si13;
      if (set.si13) return SiType::si13;
      if (quater_here) return SiType::si2quater;
      return SiType::si3;
    }
    default: {   // TC 5
      if (set.si2bis && set.si2ter) return odd_cycle ? SiType::si2ter : SiType::si2bis;
      if (set.si2bis) return SiType::si2bis;
      if (set.si2ter) return SiType::si2ter;
      if (set.si2quater) return SiType::si2quater;
      return SiType::si4;
    }
  }
}

C0FrameBuilder::C0FrameBuilder(int bsic, int ccch_conf, SiSet si, BlockProvider& provider)
    : bsic_(bsic), ccch_conf_(ccch_conf), si_(si), provider_(provider), dummy_(dummy_burst()), fcch_(fcch_burst()) {}

FrameEvents C0FrameBuilder::build(std::uint32_t fn, std::span<std::uint8_t, kSymbolsPerFrame> bits) {
  fn %= kHyperframe;
  FrameEvents ev;
  std::fill(bits.begin(), bits.end(), std::uint8_t{1});   // guard bits
  const Ts0Slot slot = ts0_slot(ccch_conf_, fn);
  const BurstBits* ts0 = &dummy_;
  BurstBits sch{};
  switch (slot.kind) {
    case Ts0Kind::fcch: ts0 = &fcch_; break;
    case Ts0Kind::sch:
      sch = sch_burst(bsic_, fn);
      ts0 = &sch;
      ev.sch = true;
      break;
    case Ts0Kind::idle:
    case Ts0Kind::sacch:   // idle SACCH/C4 of an unused SDCCH: dummy bursts
      break;
    case Ts0Kind::bcch:
    case Ts0Kind::ccch:
    case Ts0Kind::sdcch: {
      const std::uint32_t first = (fn + kHyperframe - static_cast<std::uint32_t>(slot.burst)) % kHyperframe;
      if (!cached_fn_ || *cached_fn_ != first || cached_kind_ != slot.kind) {
        BlockContent c;
        if (slot.kind == Ts0Kind::bcch)
          c = provider_.bcch(bcch_si_type(first, si_), first);
        else if (slot.kind == Ts0Kind::ccch)
          c = provider_.ccch(slot.block, first);
        else
          c = provider_.sdcch(slot.block, first);
        cached_ = normal_bursts(c.octets, bsic_ & 7);
        cached_fn_ = first;
        cached_kind_ = slot.kind;
        if (slot.burst == 0) ev.block = SentBlock{first, slot.kind, c};
      }
      ts0 = &cached_[static_cast<std::size_t>(slot.burst)];
      break;
    }
  }
  std::copy(ts0->begin(), ts0->end(), bits.begin());
  for (int tn = 1; tn < 8; ++tn)
    std::copy(dummy_.begin(), dummy_.end(), bits.begin() + timeslot_start(tn));
  return ev;
}

}  // namespace tw::synth
