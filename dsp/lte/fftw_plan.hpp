// A single-precision FFTW plan with its own aligned buffers (planning under the process-wide planner lock).
#pragma once
#include <fftw3.h>

#include <complex>
#include <mutex>
#include <string>

#include "dsp/pfb_channelizer.hpp"  // fftw_planner_mutex: FFTW's planner is not thread-safe
#include "src/core/error.hpp"

namespace tw::dsp::lte {

struct FftwPlan {
  fftwf_plan plan = nullptr;
  fftwf_complex* in = nullptr;
  fftwf_complex* out = nullptr;
  int n = 0;
  FftwPlan(int size, int sign, unsigned flags = FFTW_ESTIMATE) : n(size) {
    std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
    in = fftwf_alloc_complex(static_cast<std::size_t>(size));
    out = fftwf_alloc_complex(static_cast<std::size_t>(size));
    if (!in || !out) throw RuntimeFailure("FFTW: out of memory");
    plan = fftwf_plan_dft_1d(size, in, out, sign, flags);
    if (!plan) throw RuntimeFailure("FFTW: cannot plan a transform of " + std::to_string(size));
  }
  ~FftwPlan() {
    std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
    if (plan) fftwf_destroy_plan(plan);
    fftwf_free(in);
    fftwf_free(out);
  }
  FftwPlan(const FftwPlan&) = delete;
  FftwPlan& operator=(const FftwPlan&) = delete;
  std::complex<float>* input() { return reinterpret_cast<std::complex<float>*>(in); }
  const std::complex<float>* output() const { return reinterpret_cast<const std::complex<float>*>(out); }
  void run() { fftwf_execute(plan); }
};

}  // namespace tw::dsp::lte
