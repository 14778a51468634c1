// GSM physical-layer constants for the receiver (3GPP TS 45.002 clauses 4.3, 5.2; 45.004 clause 2).
#pragma once
#include <array>
#include <cstdint>

namespace tw::gsm {

// 45.004: symbol rate 1625000/6 symbols/s.
inline constexpr double kSymbolRate = 1625000.0 / 6.0;
// The receiver works at 4 samples per symbol: a timeslot (156.25 symbols) is exactly 625 samples and
// a TDMA frame exactly 5000, so burst positions stay integers without interpolation.
inline constexpr int kSps = 4;
inline constexpr double kWorkingRate = kSymbolRate * kSps;   // 1083333.33 samples/s
inline constexpr int kSamplesPerTimeslot = 625;
inline constexpr int kSamplesPerFrame = 5000;
inline constexpr int kBurstBits = 148;
// FCCH (45.002 clause 5.2.4): 148 zero bits, a tone at +1625000/24 Hz after GMSK modulation.
inline constexpr double kFcchToneHz = 1625000.0 / 24.0;
// FN range (45.002 clause 4.3.3): 26 x 51 x 2048.
inline constexpr std::uint32_t kHyperframe = 26u * 51u * 2048u;

// 45.002 clause 5.2.5: SCH extended training sequence (64 bits, burst bits 42..105).
inline constexpr std::array<std::uint8_t, 64> kSchTraining = {
    1,0,1,1,1,0,0,1,0,1,1,0,0,0,1,0,0,0,0,0,0,1,0,0,0,0,0,0,1,1,1,1,
    0,0,1,0,1,1,0,1,0,1,0,0,0,1,0,1,0,1,1,1,0,1,1,0,0,0,0,1,1,0,1,1};
inline constexpr int kSchTrainingStart = 42;

// 45.002 clause 5.2.3: normal burst training sequences TSC 0..7 (burst bits 61..86).
inline constexpr std::array<std::array<std::uint8_t, 26>, 8> kNormalTraining = {{
    {0,0,1,0,0,1,0,1,1,1,0,0,0,0,1,0,0,0,1,0,0,1,0,1,1,1},
    {0,0,1,0,1,1,0,1,1,1,0,1,1,1,1,0,0,0,1,0,1,1,0,1,1,1},
    {0,1,0,0,0,0,1,1,1,0,1,1,1,0,1,0,0,1,0,0,0,0,1,1,1,0},
    {0,1,0,0,0,1,1,1,1,0,1,1,0,1,0,0,0,1,0,0,0,1,1,1,1,0},
    {0,0,0,1,1,0,1,0,1,1,1,0,0,1,0,0,0,0,0,1,1,0,1,0,1,1},
    {0,1,0,0,1,1,1,0,1,0,1,1,0,0,0,0,0,1,0,0,1,1,1,0,1,0},
    {1,0,1,0,0,1,1,1,1,1,0,1,1,0,0,0,1,0,1,0,0,1,1,1,1,1},
    {1,1,1,0,1,1,1,1,0,0,0,1,0,0,1,0,1,1,1,0,1,1,1,1,0,0}}};
inline constexpr int kNormalTrainingStart = 61;

// 45.002 clause 5.2.6: dummy burst (148 bits including tails).
inline constexpr std::array<std::uint8_t, 148> kDummyBurst = {
    0,0,0,
    1,1,1,1,1,0,1,1,0,1,1,1,0,1,1,0,0,0,0,0,1,0,1,0,0,1,0,0,1,1,1,0,0,0,0,0,1,0,0,1,0,0,0,1,0,0,0,0,
    0,0,0,1,1,1,1,1,0,0,0,1,1,1,0,0,0,1,0,1,1,1,0,0,0,1,0,1,1,1,0,0,0,1,0,1,0,1,1,1,0,1,0,0,1,0,1,0,
    0,0,1,1,0,0,1,1,0,0,1,1,1,0,0,1,1,1,1,0,1,0,0,1,1,1,1,1,0,0,0,1,0,0,1,0,1,1,1,1,1,0,1,0,1,0,
    0,0,0};

}  // namespace tw::gsm
