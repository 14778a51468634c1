// IMMEDIATE ASSIGNMENT (3GPP TS 44.018 clause 9.1.18) and IMMEDIATE ASSIGNMENT REJECT (9.1.20).
#include <algorithm>
#include <stdexcept>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_immediate_assignment(const ImmediateAssignment& ia) {
  const char* what = "Immediate Assignment";
  detail::check_range(what, "timeslot", ia.timeslot, 0, 7);
  detail::check_range(what, "subchannel", ia.subchannel, 0, 7);
  detail::check_range(what, "tsc", ia.tsc, 0, 7);
  detail::check_range(what, "timing_advance", ia.timing_advance, 0, 63);
  detail::check_range(what, "page_mode", ia.page_mode, 0, 3);
  L2Block b = detail::start_block(0, 0x3f);
  // Page Mode (10.5.2.26) bits 2-1; Dedicated mode or TBF (10.5.2.25b) bits 8-5 = 0000: dedicated mode
  b[3] = static_cast<std::uint8_t>(ia.page_mode);
  // Channel Description (10.5.2.5): channel type 01SSS = SDCCH/8 + sub-channel, TN; TSC, H
  b[4] = static_cast<std::uint8_t>((0x08 | ia.subchannel) << 3 | ia.timeslot);
  std::vector<std::uint8_t> ma;  // Mobile Allocation value (10.5.2.21)
  if (!ia.hopping) {
    detail::check_range(what, "arfcn", ia.arfcn, 0, 1023);
    b[5] = static_cast<std::uint8_t>(ia.tsc << 5 | ia.arfcn >> 8);  // H = 0, spare 00, ARFCN high bits
    b[6] = static_cast<std::uint8_t>(ia.arfcn & 0xff);
  } else {
    detail::check_range(what, "maio", ia.maio, 0, 63);
    detail::check_range(what, "hsn", ia.hsn, 0, 63);
    b[5] = static_cast<std::uint8_t>(ia.tsc << 5 | 0x10 | ia.maio >> 2);  // H = 1, MAIO high 4 bits
    b[6] = static_cast<std::uint8_t>((ia.maio & 3) << 6 | ia.hsn);
    // The cell allocation frequency list: increasing ARFCN, except ARFCN 0 last (10.5.2.21). MA C i
    // is bit (i-1) mod 8 (from bit 1) of the ((i-1) div 8)-th octet counted from the last one.
    std::vector<int> ca = ia.cell_allocation;
    for (int f : ca) detail::check_range(what, "cell allocation ARFCN", f, 0, 1023);
    std::sort(ca.begin(), ca.end(), [](int x, int y) {
      if (x == 0 || y == 0) return y == 0 && x != 0;
      return x < y;
    });
    ca.erase(std::unique(ca.begin(), ca.end()), ca.end());
    if (ca.empty() || ca.size() > 64) {
      throw std::invalid_argument("Immediate Assignment: cell allocation needs 1..64 ARFCNs, got " +
                                  std::to_string(ca.size()));
    }
    if (ia.mobile_allocation_arfcns.empty()) {
      throw std::invalid_argument("Immediate Assignment: hopping with an empty mobile allocation");
    }
    ma.assign((ca.size() + 7) / 8, 0);
    for (int f : ia.mobile_allocation_arfcns) {
      const auto it = std::find(ca.begin(), ca.end(), f);
      if (it == ca.end()) {
        throw std::invalid_argument("Immediate Assignment: mobile allocation ARFCN " + std::to_string(f) +
                                    " is not in the cell allocation");
      }
      const auto i = static_cast<std::size_t>(it - ca.begin());  // MA C (i+1)
      ma[ma.size() - 1 - i / 8] = static_cast<std::uint8_t>(ma[ma.size() - 1 - i / 8] | (1u << (i % 8)));
    }
  }
  std::size_t at = detail::put_request_reference(b, 7, ia.ra, ia.fn);
  b[at++] = static_cast<std::uint8_t>(ia.timing_advance);  // Timing Advance (10.5.2.40)
  b[at++] = static_cast<std::uint8_t>(ma.size());          // Mobile Allocation, LV
  for (auto o : ma) b[at++] = o;
  b[0] = static_cast<std::uint8_t>(((at - 1) << 2) | 0x01);
  // IA Rest Octets (10.5.2.16): L L (no compressed inter-RAT HO info), spare padding
  return b;
}

L2Block encode_immediate_assignment_reject(const std::vector<std::pair<std::uint8_t, std::uint32_t>>& ra_fn,
                                           int wait_indication_s, int page_mode) {
  const char* what = "Immediate Assignment Reject";
  if (ra_fn.empty() || ra_fn.size() > 4) {
    throw std::invalid_argument("Immediate Assignment Reject: needs 1..4 request references, got " +
                                std::to_string(ra_fn.size()));
  }
  detail::check_range(what, "wait indication", wait_indication_s, 0, 255);
  detail::check_range(what, "page_mode", page_mode, 0, 3);
  // L2 pseudo length 19: PD, type, page mode (1), 4 x (Request Reference (3) + Wait Indication (1))
  L2Block b = detail::start_block(19, 0x3a);
  b[3] = static_cast<std::uint8_t>(page_mode);
  std::size_t at = 4;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& r = ra_fn[i < ra_fn.size() ? i : 0];  // 9.1.20.1: repeat a reference to fill the message
    at = detail::put_request_reference(b, at, r.first, r.second);
    b[at++] = static_cast<std::uint8_t>(wait_indication_s);  // Wait Indication (10.5.2.43): T3122 in s
  }
  // IAR Rest Octets (10.5.2.17): { 0 | 1 <Extended RA n : bit(5)> } x 4 are plain bits, not L/H, so
  // they are written out (padding would read as "Extended RA 3 present"); then L (no Rel-13 additions).
  detail::BitWriter w(b.data() + at, b.size() - at, "IAR rest octets");
  w.put(0, 4);
  w.L();
  return b;
}

}  // namespace tw::synth::l3
