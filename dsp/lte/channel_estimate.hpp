// Channel estimation from the cell-specific reference signals (TS 36.211 6.10.1) over the whole band: for
// every antenna port p < CellParams::ports, the least-squares estimates at port p's CRS (sequence
// crs_sequence, subcarriers crs_k_offset, symbols crs_symbols_in_slot), with the common phase slope over
// frequency (a residual timing error) taken out, smoothed over neighbouring pilots, interpolated linearly in
// frequency (slope restored) and then linearly in time between the port's CRS symbols (held flat beyond the
// first and last; a residual carrier offset turns the estimates from one CRS symbol to the next and the
// time interpolation follows it). noise_var: the pilots' scatter around the smoothed estimate, corrected for
// the smoother's own share.
#pragma once
#include "dsp/lte/dl_subframe.hpp"

namespace tw::dsp::lte {

class ChannelEstimator {
 public:
  // Throws tw::InputError naming the field for a cell outside the specification.
  explicit ChannelEstimator(const CellParams& cell);
  // Fills sf.h[p] (p < ports; the others cleared) and sf.noise_var. Throws tw::InputError when sf does not
  // match the cell (n_prb, symbols, re size) or its subframe is outside 0..9.
  void execute(DlSubframe& sf);
  void reset() {}

 private:
  CellParams cell_;
};

}  // namespace tw::dsp::lte
