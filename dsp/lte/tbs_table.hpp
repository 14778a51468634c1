// Transport block sizes of the PDSCH (TS 36.213 7.1.7.2): table 7.1.7.2.1-1 (I_TBS 0..26 x N_PRB 1..110,
// one spatial layer) and table 7.1.7.2.3-1 (DCI format 1C, I_TBS 0..31).
#pragma once

namespace tw::dsp::lte {

constexpr int kMaxItbs = 26;        // rows of table 7.1.7.2.1-1
constexpr int kMaxItbs1c = 31;      // entries of table 7.1.7.2.3-1

// 36.213 table 7.1.7.2.1-1. Throws tw::InputError naming i_tbs (0..26) or n_prb (1..110) when outside.
int transport_block_size(int i_tbs, int n_prb);
// 36.213 table 7.1.7.2.3-1. Throws tw::InputError naming i_tbs (0..31) when outside.
int tbs_format_1c(int i_tbs);

}  // namespace tw::dsp::lte
