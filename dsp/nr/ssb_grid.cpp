#include "dsp/nr/ssb_grid.hpp"

#include <map>
#include <mutex>

#include "src/core/error.hpp"

namespace tw::dsp::nr {

namespace {
struct Layout {
  std::array<SsbRe, kPbchRe> data{};
  std::array<SsbRe, kPbchDmrsRe> dmrs{};
};

bool pbch_k(int l, int k) {   // PBCH or its DMRS occupies (l, k)
  if (l == 1 || l == 3) return true;
  if (l == 2) return k < 48 || k >= 192;
  return false;
}

const Layout& layout(int v) {
  static const std::array<Layout, 4> all = [] {
    std::array<Layout, 4> a{};
    for (int vv = 0; vv < 4; ++vv) {
      int nd = 0, nr = 0;
      for (int l = 1; l <= 3; ++l)
        for (int k = 0; k < kSsbSubcarriers; ++k) {
          if (!pbch_k(l, k)) continue;
          const SsbRe re{static_cast<std::uint8_t>(l), static_cast<std::uint8_t>(k)};
          if (k % 4 == vv) a[vv].dmrs[nr++] = re;
          else a[vv].data[nd++] = re;
        }
    }
    return a;
  }();
  return all[v];
}
}  // namespace

const std::array<SsbRe, kPbchRe>& pbch_data_res(int pci) {
  if (pci < 0 || pci > 1007) throw InputError("SSB grid: PCI " + std::to_string(pci) + " outside 0..1007");
  return layout(pci % 4).data;
}
const std::array<SsbRe, kPbchDmrsRe>& pbch_dmrs_res(int pci) {
  if (pci < 0 || pci > 1007) throw InputError("SSB grid: PCI " + std::to_string(pci) + " outside 0..1007");
  return layout(pci % 4).dmrs;
}

const char* ssb_case_name(SsbCase c) { return c == SsbCase::A ? "A" : c == SsbCase::B ? "B" : "C"; }
int ssb_case_scs_khz(SsbCase c) { return c == SsbCase::A ? 15 : 30; }

std::vector<int> ssb_first_symbols(SsbCase c, int l_max) {
  if (l_max != 4 && l_max != 8) throw InputError("SSB burst: L_max " + std::to_string(l_max) + " (FR1: 4 or 8)");
  std::vector<int> s;
  if (c == SsbCase::B) {
    for (int n = 0; n < l_max / 4; ++n)
      for (int b : {4, 8, 16, 20}) s.push_back(b + 28 * n);
  } else {   // A and C: {2, 8} + 14 n
    for (int n = 0; n < l_max / 2; ++n)
      for (int b : {2, 8}) s.push_back(b + 14 * n);
  }
  return s;
}

int cp_length(int n_fft) { return 144 * n_fft / 2048; }

long symbol_start_in_half_frame(int sym, int scs_khz, int n_fft) {
  const int per_half_ms = 7 * scs_khz / 15;   // symbols per 0.5 ms
  // 38.211 5.3.1: the extra 16 kappa is not scaled by 2^-mu: 16 n_fft / 2048 x 2^mu samples.
  const long cp = cp_length(n_fft), extra = 16L * n_fft / 2048 * (scs_khz / 15);
  const long full = sym / per_half_ms, rest = sym % per_half_ms;
  const long half_ms = per_half_ms * (n_fft + cp) + extra;
  return full * half_ms + (rest > 0 ? extra : 0) + rest * (n_fft + cp);
}

}  // namespace tw::dsp::nr
