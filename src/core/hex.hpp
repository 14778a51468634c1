// Octets as hexadecimal text, the two forms towerwatch writes: "41 06 21" (GSM blocks, as gr-gsm and the truth
// files print them) and "484818" (LTE transport blocks and RRC messages, as reference.json writes them).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tw {

std::string hex_octets(std::span<const std::uint8_t> octets);   // lowercase, one space between octets
std::string hex_string(std::span<const std::uint8_t> octets);   // lowercase, no separator
// Either form back to octets (spaces between octets optional, either case); tw::InputError naming the text
// for an odd digit count or a character that is no hex digit.
std::vector<std::uint8_t> octets_from_hex(std::string_view text);

}  // namespace tw
