// GSM Layer 3 messages as a base station sends them on BCCH and CCCH: 23 octets each, encoded from the
// specification (3GPP TS 44.018 clause 9.1, IEs of clause 10.5.2; L2 pseudo length per 44.006; spare
// octets filled with 0x2b). Used by the scene synthesizer.
#pragma once
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "tools/synth/cell_config.hpp"

namespace tw::synth::l3 {

using L2Block = std::array<std::uint8_t, 23>;

// System Information (44.018 9.1.31 .. 9.1.43a)
L2Block encode_si1(const CellConfig& cell);
L2Block encode_si2(const CellConfig& cell);
L2Block encode_si2bis(const CellConfig& cell);
L2Block encode_si2ter(const CellConfig& cell);
// One SI2quater instance (INDEX = COUNT = 0) with all UTRAN and E-UTRAN neighbours; throws
// std::invalid_argument when they do not fit in its 20 rest octets.
L2Block encode_si2quater(const CellConfig& cell);
// As many SI2quater instances as the neighbours need (SI2quater_INDEX 0..COUNT, at most 16), to be sent
// in turn where SI2quater is scheduled on BCCH Norm (45.002 6.3.1.3); one instance when they fit in one.
std::vector<L2Block> encode_si2quater_instances(const CellConfig& cell);
L2Block encode_si3(const CellConfig& cell);
L2Block encode_si4(const CellConfig& cell);
L2Block encode_si13(const CellConfig& cell);

// Mobile identities carried in paging (10.5.1.4)
struct MobileIdentity {
  // none: the "No Identity" type (10.5.1.4 type 000), which real networks send in empty paging blocks
  enum class Kind { tmsi, imsi, imei, none } kind = Kind::tmsi;
  std::uint32_t tmsi = 0;
  std::vector<std::uint8_t> digits;  // IMSI: 6..15 decimal digits; IMEI: 15 (23.003 6.2.1: TAC, SNR, check digit)
};

// Channel Needed (10.5.2.8) for the first and second identity: 0 any channel, 1 SDCCH, 2 TCH/F, 3 TCH/H or TCH/F.
using ChannelNeeded = std::array<int, 2>;

// Paging Request Type 1 (9.1.22): 1 or 2 identities of any kind. Throws std::invalid_argument on a bad
// identity, a page mode outside 0..3 or a channel needed outside 0..3.
L2Block encode_paging_request_1(const std::vector<MobileIdentity>& ids, int page_mode = 0,
                                ChannelNeeded channel_needed = {0, 0});
// Paging Request Type 2 (9.1.23): 2 TMSIs + optional third identity
L2Block encode_paging_request_2(std::uint32_t tmsi1, std::uint32_t tmsi2, const MobileIdentity* third, int page_mode = 0,
                                ChannelNeeded channel_needed = {0, 0});
// Paging Request Type 3 (9.1.24): 4 TMSIs
L2Block encode_paging_request_3(const std::array<std::uint32_t, 4>& tmsis, int page_mode = 0,
                                ChannelNeeded channel_needed = {0, 0});

// Immediate Assignment (9.1.18) of an SDCCH/8, hopping (MAIO/HSN over the cell allocation) or not.
struct ImmediateAssignment {
  int timeslot = 1;          // 0..7
  int subchannel = 0;        // SDCCH/8 sub-channel 0..7
  int tsc = 0;               // 0..7
  bool hopping = false;
  int arfcn = 0;             // when not hopping
  int maio = 0, hsn = 0;     // when hopping (6 bits each)
  std::vector<int> mobile_allocation_arfcns;  // hopping: ARFCNs of the MA within the cell allocation
  std::vector<int> cell_allocation;           // hopping: the cell allocation the MA bitmap refers to
  std::uint8_t ra = 0;       // request reference: random access information
  std::uint32_t fn = 0;      // request reference: frame number of the access (T1', T3, T2)
  int timing_advance = 0;    // 0..63
  int page_mode = 0;         // 10.5.2.26, 0..3
};
L2Block encode_immediate_assignment(const ImmediateAssignment& ia);
// Immediate Assignment Reject (9.1.20): 1 to 4 request references (RA, FN of the access) with one wait
// indication (T3122 in seconds, 0..255); fewer than 4 references are repeated to fill the message.
L2Block encode_immediate_assignment_reject(const std::vector<std::pair<std::uint8_t, std::uint32_t>>& ra_fn,
                                           int wait_indication_s, int page_mode = 0);

// An L2 fill frame on CCCH when nothing is to be sent (44.006): 03 03 01 2b..
L2Block l2_fill_frame();

// Frequency lists (10.5.2.13 / 10.5.2.22): the 16-octet Neighbour Cell Description value (from the octet
// that holds EXT-IND/BA-IND, i.e. without the IEI) encoding `arfcns` in the smallest format that holds
// them: bit map 0, range 1024, 512, 256, 128, or variable bit map. Throws std::invalid_argument if
// the set cannot be encoded in 16 octets.
std::array<std::uint8_t, 16> encode_neighbour_cells(const std::vector<int>& arfcns, bool ext_ind, bool ba_ind);

}  // namespace tw::synth::l3
