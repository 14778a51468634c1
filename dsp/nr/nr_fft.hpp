// One FFTW plan with its buffers (RAII), for the NR blocks. Planning holds the shared planner lock
// (FFTW's planner is not thread-safe); executing needs none.
#pragma once
#include <fftw3.h>

#include <complex>
#include <mutex>
#include <string>

#include "dsp/pfb_channelizer.hpp"   // fftw_planner_mutex
#include "src/core/error.hpp"

namespace tw::dsp::nr {

using cf32 = std::complex<float>;

class FftPlan {
 public:
  FftPlan(int n, int sign) : n_(n) {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    in_ = fftwf_alloc_complex(static_cast<std::size_t>(n));
    out_ = fftwf_alloc_complex(static_cast<std::size_t>(n));
    if (!in_ || !out_) throw RuntimeFailure("FFTW: out of memory for a transform of " + std::to_string(n));
    plan_ = fftwf_plan_dft_1d(n, in_, out_, sign, FFTW_ESTIMATE);
    if (!plan_) throw RuntimeFailure("FFTW: cannot plan a transform of " + std::to_string(n));
  }
  ~FftPlan() {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    if (plan_) fftwf_destroy_plan(plan_);
    fftwf_free(in_);
    fftwf_free(out_);
  }
  FftPlan(const FftPlan&) = delete;
  FftPlan& operator=(const FftPlan&) = delete;
  int size() const { return n_; }
  cf32* in() { return reinterpret_cast<cf32*>(in_); }
  const cf32* out() const { return reinterpret_cast<const cf32*>(out_); }
  cf32* out() { return reinterpret_cast<cf32*>(out_); }
  void execute() { fftwf_execute(plan_); }

 private:
  int n_;
  fftwf_complex* in_ = nullptr;
  fftwf_complex* out_ = nullptr;
  fftwf_plan plan_ = nullptr;
};

// Complex product written out (std::complex's operator* checks for NaN on every element).
inline cf32 cmul(cf32 a, cf32 b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}
inline cf32 cmulc(cf32 a, cf32 b) {   // a * conj(b)
  return {a.real() * b.real() + a.imag() * b.imag(), a.imag() * b.real() - a.real() * b.imag()};
}

}  // namespace tw::dsp::nr
