// Rebuilding the 23-octet BCCH/CCCH block (44.006 / 44.018: L2 pseudo length, L3 message, rest octets, 0x2b
// padding) from an RR message delivered without its L2 pseudo length, as a phone's diag log gives it
// (QCSuper writes it so as GSMTAP A-bis). The pseudo length (44.018 10.5.2.19: the length of the message
// without the rest octets and without the pseudo length IE itself) is worked out by walking the message's
// mandatory and optional IEs as 44.018 clause 9.1 defines them, for the message types the block parser reads.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <variant>

namespace tw::gsm {

// Either the L2 pseudo length of `l3` (the octets from the protocol discriminator on, rest octets included
// if present) or a reason: "not_rr" (protocol discriminator not RR or skip indicator not 0), "empty",
// "rr_type_not_bcch_ccch" (a message type the BCCH/CCCH block parser does not read), "truncated" (an IE runs
// past the octets given).
std::variant<std::size_t, std::string> l2_pseudo_length(std::span<const std::uint8_t> l3);

// Either the rebuilt 23-octet block or a reason (those of l2_pseudo_length, and "too_long": the pseudo
// length octet and the octets given do not fit in 23 octets).
std::variant<std::array<std::uint8_t, 23>, std::string> rebuild_ccch_block(std::span<const std::uint8_t> l3);

}  // namespace tw::gsm
