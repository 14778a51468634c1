// PBCH channel coding pieces (TS 36.212): CRC-16 with the antenna-port mask, the tail-biting
// convolutional code and the rate-matching map of convolutionally coded channels.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

struct osmo_conv_code;

namespace tw::dsp::lte {

constexpr int kMibBits = 24;
constexpr int kBchCrcBits = 16;
constexpr int kBchCodedIn = kMibBits + kBchCrcBits;  // 40 bits into the convolutional coder

// 36.212 5.1.1 gCRC16(D) = D^16 + D^12 + D^5 + 1, register initialised to 0, parity p0 first: the result's
// bit 15 is p0. `bits` holds 0/1 values (any other value throws tw::InputError).
std::uint16_t crc16(std::span<const std::uint8_t> bits);

// 36.212 5.3.1.1 table 5.3.1.1-1: x_ant for 1, 2, 4 ports (0x0000, 0xFFFF, 0x5555), bit 15 = x_ant,0.
// Throws tw::InputError for other port counts.
std::uint16_t crc_mask_for_ports(int ports);

// 36.212 5.1.3.1: constraint length 7, rate 1/3, G0 = 133, G1 = 171, G2 = 165 (octal; the MSB is the tap
// of the current input bit), tail-biting, 40 input bits. libosmocoding output order is interleaved:
// out[3 j + i] = d^(i)_j.
const osmo_conv_code& pbch_conv_code();

// 36.212 5.1.4.2: sub-block interleaver (32 columns, permutation of table 5.1.4-2, dummy bits first),
// bit collection (v0 v1 v2) and circular selection skipping the dummy (<NULL>) bits. Element e is the
// index (stream-major: stream i bit j at i*d_bits + j) of the coded bit sent as output bit e.
// Throws tw::InputError for d_bits < 1 or e_bits < 0 (or absurdly large sizes).
std::vector<int> conv_rate_match_map(int d_bits, int e_bits);

// Bits of the PBCH per radio frame: 240 REs * 2 (normal CP) or 216 * 2 (extended); 4 frames in all.
int pbch_bits_per_frame(bool normal_cp);
int pbch_bits_total(bool normal_cp);

}  // namespace tw::dsp::lte
