// NR primary synchronization signal, TS 38.211 7.4.2.2: d_PSS(n) = 1 - 2 x(m), m = (n + 43 N_ID(2)) mod 127,
// x(i+7) = (x(i+4) + x(i)) mod 2, [x(6) .. x(0)] = [1 1 1 0 1 1 0]. Mapped on SSB subcarriers 56..182 of
// the SSB's symbol 0 (7.4.3.1): element n at k = 56 + n, i.e. n - 64 subcarriers from SS_REF (k = 120).
#pragma once
#include <array>
#include <complex>
#include <vector>

namespace tw::dsp::nr {

constexpr int kSyncLength = 127;   // PSS and SSS
constexpr int kSyncFirstK = 56;    // first SSB subcarrier of the PSS / SSS

// d_PSS(0..126) as +-1 for N_ID(2) = 0, 1, 2.
std::array<float, kSyncLength> pss_sequence(int n_id_2);

// The PSS symbol's useful part in time (no cyclic prefix), n_fft samples (n_fft >= 128, a power of two is
// not required), subcarrier spacing = sample rate / n_fft, SS_REF at 0 Hz, unit power per subcarrier / n_fft.
std::vector<std::complex<float>> pss_time_replica(int n_id_2, int n_fft);

}  // namespace tw::dsp::nr
