// What the C0 carrier of a cell sends, frame by frame: TS0 mapping of the 51-frame multiframe
// (3GPP TS 45.002 clause 7 table 3 and 5, clause 6.3.1.3 for System Information scheduling) and dummy
// bursts on TS1..7 (C0 transmits continuously, 45.002 clause 6.5). The 23-octet blocks come from a
// BlockProvider so the physical layer can be exercised without the L3 encoders.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "tools/synth/bursts.hpp"
#include "tools/synth/cell_config.hpp"

namespace tw::synth {

// Logical channel of TS0 in one frame.
enum class Ts0Kind { fcch, sch, bcch, ccch, sdcch, sacch, idle };

struct Ts0Slot {
  Ts0Kind kind = Ts0Kind::idle;
  int block = 0;   // CCCH block 0..8 of the multiframe, SDCCH/4 or SACCH/C4 sub-channel 0..3
  int burst = 0;   // burst 0..3 within its 4-frame block (0 for FCCH/SCH/idle)
};

// TS0 of C0 (45.002 clause 7 table 3): ccch_conf 0 = FCCH+SCH+BCCH+CCCH (combination iv),
// 1 = combined with SDCCH/4 + SACCH/C4 (combination v).
Ts0Slot ts0_slot(int ccch_conf, std::uint32_t fn);

// Number of CCCH blocks per 51-multiframe: 9 (non-combined) or 3 (combined).
int ccch_blocks_per_multiframe(int ccch_conf);

enum class SiType { si1, si2, si2bis, si2ter, si2quater, si3, si4, si13 };
const char* si_name(SiType t);   // "SI1", ..., "SI2quater", "SI13"

// Which optional System Information types the cell sends.
struct SiSet {
  bool si2bis = false, si2ter = false, si2quater = false, si13 = false;
};
SiSet si_set_of(const CellConfig& cell);

// SI type carried by the BCCH Norm block of the multiframe holding fn, by TC = (FN div 51) mod 8
// (45.002 6.3.1.3). TC 0 SI1, 1 SI2, 2 and 6 SI3, 3 and 7 SI4; TC 4: SI13 and/or SI2quater (alternating
// by multiframe pair when both: SI2quater goes to TC 4 only when SI2bis or SI2ter occupy TC 5); TC 5:
// SI2bis/SI2ter (alternating when both), else SI2quater. A TC whose types are all absent repeats the
// most useful block for a phone camping on the cell: SI3 on TC 4, SI4 on TC 5 (documented choice, not
// from the spec: real BTSs also repeat SI2/SI3/SI4 there).
SiType bcch_si_type(std::uint32_t fn, const SiSet& set);

// A 23-octet block and the name of the message in it ("SI3", "Paging Request Type 1", ...).
// A bystander's identity a synthesized block carries (truth file: what towerwatch must never output unasked).
struct TruthIdentity {
  std::string_view type;      // "imsi" | "imei" | "tmsi"
  std::string value;          // digits, or "0x%08x" for a TMSI
};

struct BlockContent {
  L2Octets octets{};
  std::string_view message;   // points to a string with static storage duration
  std::vector<TruthIdentity> identities{};  // paging blocks: every identity in them, in block order
};

// Source of the blocks a cell sends. Called once per block, with the FN of its first burst; a given
// (channel, fn) must always give the same block (the renderer may seek).
class BlockProvider {
 public:
  virtual ~BlockProvider() = default;
  virtual BlockContent bcch(SiType type, std::uint32_t fn) = 0;
  virtual BlockContent ccch(int block, std::uint32_t fn) = 0;
  virtual BlockContent sdcch(int subchannel, std::uint32_t fn) = 0;
};

const char* channel_name(Ts0Kind kind);   // "BCCH", "CCCH", "SDCCH", "SACCH", "FCCH", "SCH", "idle"

// A block whose first burst is in the frame just built.
struct SentBlock {
  std::uint32_t fn = 0;
  Ts0Kind kind = Ts0Kind::bcch;
  BlockContent content;
};
struct FrameEvents {
  std::optional<SentBlock> block;
  bool sch = false;   // the frame carried an SCH (its fn and the cell's bsic)
};

// Builds the 1250 modulating bits of one TDMA frame of C0 (8 timeslots of 157/156 symbols: the
// 148-bit burst then guard bits set to 1).
class C0FrameBuilder {
 public:
  C0FrameBuilder(int bsic, int ccch_conf, SiSet si, BlockProvider& provider);
  FrameEvents build(std::uint32_t fn, std::span<std::uint8_t, kSymbolsPerFrame> bits);

 private:
  int bsic_, ccch_conf_;
  SiSet si_;
  BlockProvider& provider_;
  std::optional<std::uint32_t> cached_fn_;   // first FN of the block whose bursts are cached
  Ts0Kind cached_kind_ = Ts0Kind::idle;
  std::array<BurstBits, 4> cached_{};
  BurstBits dummy_, fcch_;
};

}  // namespace tw::synth
